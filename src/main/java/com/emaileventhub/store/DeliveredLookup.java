package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * When sends were delivered, from what is stored: the journal's own {@code delivered} events of the same
 * message id and recipient, else the insight figures of the send (which know SendGrid's send key even
 * where the per-event suffix of sg_message_id differs). One query per source for all the sends of a request,
 * not one per click: a request of 100 events would otherwise pay dozens of round trips before its commit.
 */
public final class DeliveredLookup {
    private static final String JOURNAL = "SELECT esp, message_id, recipient, MIN(occurred_at) FROM hub_event "
            + "WHERE type = 'delivered' AND message_id IN (%s) GROUP BY esp, message_id, recipient";
    private static final String SEND = "SELECT esp, send_key, recipient, delivered_at FROM insight_send "
            + "WHERE delivered_at IS NOT NULL AND send_key IN (%s)";
    /** Ids per IN list: far below every driver's parameter limit. */
    private static final int CHUNK = 500;

    /** A send as intake knows it: its ESP, the event's message id, and the recipient. */
    public record Send(String esp, String messageId, String recipient) {
        String sendKey() {
            return Sends.sendKey(esp, messageId);
        }
    }

    private final DataSource dataSource;

    public DeliveredLookup(Database database) {
        this.dataSource = database.dataSource();
    }

    /** The earliest known delivery of each of these sends; sends with none stored are absent. */
    public Map<Send, Instant> deliveredAt(Collection<Send> sends) {
        Map<Send, Instant> found = new HashMap<>();
        if (sends.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection()) {
            Map<List<String>, Send> byMessage = index(sends, s -> List.of(s.esp(), s.messageId(), s.recipient()));
            query(c, JOURNAL, byMessage, found);
            List<Send> missing = sends.stream().filter(s -> !found.containsKey(s)).toList();
            Map<List<String>, Send> byKey = index(missing, s -> List.of(s.esp(), s.sendKey(), s.recipient()));
            query(c, SEND, byKey, found);
            return found;
        } catch (SQLException e) {
            throw StorageUnavailableException.of("delivery lookup", e);
        }
    }

    private static Map<List<String>, Send> index(Collection<Send> sends, Function<Send, List<String>> key) {
        Map<List<String>, Send> out = new HashMap<>();
        sends.forEach(s -> out.put(key.apply(s), s));
        return out;
    }

    /** Runs the query over the wanted ids (column 2 of the key) in chunks, keeping rows whose key was asked for. */
    private static void query(Connection c, String sql, Map<List<String>, Send> wanted, Map<Send, Instant> found)
            throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        wanted.keySet().forEach(k -> ids.add(k.get(1)));
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement(String.format(sql, "?" + ",?".repeat(chunk.size() - 1)))) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Send send = wanted.get(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                        long at = rs.getLong(4);
                        if (send != null && !rs.wasNull()) {
                            found.merge(send, Instant.ofEpochMilli(at), (a, b) -> a.isBefore(b) ? a : b);
                        }
                    }
                }
            }
        }
    }
}
