package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * When a send was delivered, from what is stored: the journal's own {@code delivered} event of the same
 * message id and recipient, else the insight figures of the send (which know SendGrid's send key even
 * where the per-event suffix of sg_message_id differs).
 */
public final class DeliveredLookup {
    private static final String JOURNAL = "SELECT MIN(occurred_at) FROM hub_event "
            + "WHERE message_id = ? AND recipient = ? AND esp = ? AND type = 'delivered'";
    private static final String SEND = "SELECT delivered_at FROM insight_send WHERE esp = ? AND send_key = ? AND recipient = ?";

    private final DataSource dataSource;

    public DeliveredLookup(Database database) {
        this.dataSource = database.dataSource();
    }

    /** The earliest known delivery of the send, or null. */
    public Instant deliveredAt(String esp, String messageId, String recipient) {
        try (Connection c = dataSource.getConnection()) {
            Long at = first(c, JOURNAL, messageId, recipient, esp);
            if (at == null) {
                at = first(c, SEND, esp, Sends.sendKey(esp, messageId), recipient);
            }
            return at == null ? null : Instant.ofEpochMilli(at);
        } catch (SQLException e) {
            throw StorageUnavailableException.of("delivery lookup", e);
        }
    }

    private static Long first(Connection c, String sql, String a, String b, String d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.setString(3, d);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
                return null;
            }
        }
    }
}
