package com.emaileventhub.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The audience of a re-engagement campaign: recipients with a delivered send whose time is in the period and no
 * human open or click on any of their sends of the period, and not suppressed. Read from the insight per-send
 * state, recipient by recipient in address order (keyset paging on the index insight_send_recipient).
 */
public final class InactiveRecipients {
    /** One inactive recipient: sends delivered in the period and the latest delivery. */
    public record Recipient(String email, long delivered, long lastDeliveredAt) {
    }

    private static final String SQL = "SELECT s.recipient, SUM(CASE WHEN %1$s <> 0 THEN 1 ELSE 0 END), "
            + "MAX(s.delivered_at) FROM insight_send s WHERE s.sent_at >= ? AND s.recipient > ? "
            + "AND NOT EXISTS (SELECT 1 FROM hub_suppression x WHERE x.email = s.recipient) "
            + "GROUP BY s.recipient HAVING SUM(CASE WHEN %1$s <> 0 THEN 1 ELSE 0 END) > 0 "
            + "AND SUM(CASE WHEN %2$s <> 0 THEN 1 ELSE 0 END) = 0 ORDER BY s.recipient LIMIT ?";

    private final InsightQuery query;
    private final String sql;

    public InactiveRecipients(Database database) {
        this.query = new InsightQuery(database);
        boolean pg = database.dialect() == Database.Dialect.POSTGRESQL;
        String delivered = bit(pg, InsightCounts.DELIVERED);
        String engaged = bit(pg, InsightCounts.OPENED | InsightCounts.CLICKED);
        this.sql = String.format(SQL, delivered, engaged);
    }

    /** Up to {@code limit} recipients after {@code after} (exclusive; "" from the start), in address order. */
    public List<Recipient> page(long since, String after, int limit) {
        List<Recipient> out = new ArrayList<>();
        query.query(sql, List.of(since, after, limit), rs -> out.add(new Recipient(rs.getString(1), rs.getLong(2),
                rs.getLong(3))));
        return out;
    }

    private static String bit(boolean pg, int mask) {
        return pg ? "(s.flags & " + mask + ")" : "BITAND(s.flags, " + mask + ")";
    }
}
