package com.emaileventhub.support;

import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the journal holds, for "exactly what was stored" assertions: rows of hub_event selected by a WHERE
 * clause, in occurred_at then id order, as one-line summaries or as the stored canonical JSON.
 */
public final class StoredEvents {
    private StoredEvents() {
    }

    /** {@code type|bounce_type|recipient|message_id|occurred_at} per row ({@code -} for null). */
    public static List<String> summaries(DataSource ds, String where, Object... args) {
        List<String> out = new ArrayList<>();
        query(ds, "SELECT type, bounce_type, recipient, message_id, occurred_at FROM hub_event WHERE " + where
                + " ORDER BY occurred_at, id", args, rs -> out.add(String.join("|", nz(rs.getString(1)),
                nz(rs.getString(2)), nz(rs.getString(3)), nz(rs.getString(4)),
                Timestamps.format(Instant.ofEpochMilli(rs.getLong(5))))));
        return out;
    }

    /** The stored canonical events (the body column) in the same order. */
    public static List<JsonNode> events(DataSource ds, String where, Object... args) {
        List<JsonNode> out = new ArrayList<>();
        query(ds, "SELECT body FROM hub_event WHERE " + where + " ORDER BY occurred_at, id", args, rs -> {
            try {
                out.add(Json.MAPPER.readTree(rs.getString(1)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return out;
    }

    /** The summaries of one vendor's events received at or after {@code since} (tests of one class run one at a time). */
    public static List<String> since(DataSource ds, String esp, Instant since) {
        return summaries(ds, "esp = ? AND received_at >= ?", esp, since.toEpochMilli());
    }

    /** The stored canonical events of one vendor received at or after {@code since}. */
    public static List<JsonNode> eventsSince(DataSource ds, String esp, Instant since) {
        return events(ds, "esp = ? AND received_at >= ?", esp, since.toEpochMilli());
    }

    public static long count(DataSource ds, String where, Object... args) {
        return Rows.count(ds, "SELECT COUNT(*) FROM hub_event WHERE " + where, args);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(DataSource ds, String sql, Object[] args, RowReader reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
