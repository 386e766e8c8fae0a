package com.emaileventhub.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/** Reads the journal: filtered pages newest first (keyset cursor), and one message's timeline oldest first. */
public final class EventQuery {
    /** Filters of GET /api/events; null fields are not applied. */
    public record Filter(String messageId, String recipient, String type, String esp, Long sinceMs, Long untilMs) {
    }

    /** A page of canonical events as stored JSON, with the cursor of the next page (null at the end). */
    public record Page(List<String> events, String nextCursor) {
    }

    public static final int MAX_TIMELINE = 10_000;

    private final DataSource dataSource;

    public EventQuery(Database database) {
        this.dataSource = database.dataSource();
    }

    public Page search(Filter f, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, body FROM hub_event WHERE 1=1");
        List<Object> args = new ArrayList<>();
        add(sql, args, " AND message_id = ?", f.messageId());
        add(sql, args, " AND recipient = ?", f.recipient());
        add(sql, args, " AND type = ?", f.type());
        add(sql, args, " AND esp = ?", f.esp());
        add(sql, args, " AND occurred_at >= ?", f.sinceMs());
        add(sql, args, " AND occurred_at < ?", f.untilMs());
        if (cursor != null) {
            Object[] c = decodeCursor(cursor);
            sql.append(" AND (occurred_at < ? OR (occurred_at = ? AND id < ?))");
            args.add(c[0]);
            args.add(c[0]);
            args.add(c[1]);
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        args.add((long) (limit + 1));
        List<String> bodies = new ArrayList<>();
        String next = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                long lastOccurred = 0;
                String lastId = null;
                while (rs.next()) {
                    if (bodies.size() == limit) {
                        next = encodeCursor(lastOccurred, lastId);
                        break;
                    }
                    lastId = rs.getString(1);
                    lastOccurred = rs.getLong(2);
                    bodies.add(rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("event query", e);
        }
        return new Page(bodies, next);
    }

    public List<String> timeline(String messageId) {
        List<String> bodies = new ArrayList<>();
        String sql = "SELECT body FROM hub_event WHERE message_id = ? ORDER BY occurred_at, id LIMIT " + MAX_TIMELINE;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bodies.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("timeline query", e);
        }
        return bodies;
    }

    private static void add(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    static String encodeCursor(long occurredAt, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((occurredAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by this class */
    static Object[] decodeCursor(String cursor) {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        if (colon <= 0 || !s.substring(colon + 1).matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a cursor");
        }
        return new Object[] {Long.parseLong(s.substring(0, colon)), s.substring(colon + 1)};
    }
}
