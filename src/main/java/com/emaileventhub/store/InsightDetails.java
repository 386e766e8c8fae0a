package com.emaileventhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Clicked links, bounce reasons and single sends, from the per-send rows of the insight figures. */
public final class InsightDetails {
    private static final String OF_SEND = " JOIN insight_send s ON s.esp = d.esp AND s.send_key = d.send_key "
            + "AND s.recipient = d.recipient WHERE s.sent_at >= ? AND s.sent_at < ?";

    public record Link(String url, long clicks, long clicked, long machineClicks) {
    }

    public record BounceReason(String reason, String bounceType, long sends) {
    }

    public record Send(String esp, String recipient, int flags, long sentAt, Long deliveredAt, long lastEventAt) {
    }

    private final InsightQuery query;

    public InsightDetails(InsightQuery query) {
        this.query = query;
    }

    /** Links clicked in sends of [from, to), most human clicks first. Filters: column to accepted values. */
    public List<Link> links(long from, long to, Set<String> esps, Set<String> tagsets, int limit) {
        List<Object> args = new ArrayList<>(List.of(from, to));
        String sql = "SELECT d.url, SUM(d.clicks), SUM(CASE WHEN d.clicks > 0 THEN 1 ELSE 0 END), SUM(d.machine_clicks) "
                + "FROM insight_send_link d" + OF_SEND + filter("s.esp", esps, args) + filter("s.tagset", tagsets, args)
                + " GROUP BY d.url_key, d.url ORDER BY 2 DESC, 4 DESC, d.url LIMIT " + limit;
        List<Link> out = new ArrayList<>();
        query.query(sql, args, rs -> out.add(new Link(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))));
        return out;
    }

    /** Bounce reasons of sends of [from, to), by number of sends. */
    public List<BounceReason> bounceReasons(long from, long to, Set<String> esps, Set<String> domains, int limit) {
        List<Object> args = new ArrayList<>(List.of(from, to));
        String sql = "SELECT d.reason, d.bounce_type, COUNT(*) FROM insight_send_bounce d" + OF_SEND
                + filter("s.esp", esps, args) + filter("s.recipient_domain", domains, args)
                + " GROUP BY d.reason_key, d.bounce_type, d.reason ORDER BY 3 DESC, d.reason, d.bounce_type LIMIT " + limit;
        List<BounceReason> out = new ArrayList<>();
        query.query(sql, args, rs -> out.add(new BounceReason(rs.getString(1),
                rs.getString(2).isEmpty() ? null : rs.getString(2), rs.getLong(3))));
        return out;
    }

    /** The sends of one send key (any ESP, any recipient), optionally of one ESP only. */
    public List<Send> sends(String sendKey, String esp) {
        List<Object> args = new ArrayList<>(List.of(sendKey));
        String sql = "SELECT esp, recipient, flags, sent_at, delivered_at, last_event_at FROM insight_send "
                + "WHERE send_key = ?" + (esp == null ? "" : filter("esp", Set.of(esp), args)) + " ORDER BY esp, recipient";
        List<Send> out = new ArrayList<>();
        query.query(sql, args, rs -> {
            long delivered = rs.getLong(5);
            Long deliveredAt = rs.wasNull() ? null : delivered;
            out.add(new Send(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), deliveredAt, rs.getLong(6)));
        });
        return out;
    }

    private static String filter(String column, Set<String> accepted, List<Object> args) {
        return accepted == null ? "" : InsightQuery.in(column, accepted, args);
    }
}
