package com.emaileventhub.store;

import com.emaileventhub.store.InsightQuery.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Clicked links, bounce reasons and single sends, from the insight figures. */
public final class InsightDetails {
    /**
     * The sends of a range and their detail rows (d): read from the sends by time, then each send's rows by primary key.
     * A LEFT JOIN fixes that order (an inner join let H2 read every detail row and look its send up: 382,879 reads
     * instead of 68 for one edge of a 90-day range on 5 million sends); the NOT NULL test makes it an inner join again.
     */
    private static String ofSends(String detailTable, String detailKey) {
        return " FROM insight_send s LEFT JOIN " + detailTable + " d ON d.esp = s.esp AND d.send_key = s.send_key "
                + "AND d.recipient = s.recipient WHERE d." + detailKey + " IS NOT NULL AND ";
    }

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

    /**
     * Links clicked in sends of the plan's range, most human clicks first. Whole days and quarter hours are read from
     * the link rollups, the rest (ragged edges, times older than the quarter-hour rows) send by send. Filters: the
     * accepted values of a column, null for all.
     */
    public List<Link> links(InsightPlan plan, Set<String> esps, Set<String> tagsets, int limit) {
        List<Object> args = new ArrayList<>();
        List<String> parts = rollups("SELECT url_key, url, clicks, clicked, machine_clicks FROM insight_link_rollup", plan,
                tagsets == null, a -> filter("esp", esps, a) + filter("tagset", tagsets, a), args);
        for (Interval unit : plan.units) {
            parts.add("SELECT d.url_key, d.url, d.clicks, CASE WHEN d.clicks > 0 THEN 1 ELSE 0 END AS clicked, d.machine_clicks"
                    + ofSends("insight_send_link", "url_key") + InsightQuery.range("s.sent_at", unit, args)
                    + filter("s.esp", esps, args) + filter("s.tagset", tagsets, args));
        }
        List<Link> out = new ArrayList<>();
        if (parts.isEmpty()) {
            return out;
        }
        String sql = "SELECT MIN(url), SUM(clicks), SUM(clicked), SUM(machine_clicks) FROM (" + String.join(" UNION ALL ", parts)
                + ") x GROUP BY url_key HAVING SUM(clicks) + SUM(machine_clicks) > 0 ORDER BY 2 DESC, 4 DESC, 1 LIMIT " + limit;
        query.query(sql, args, rs -> out.add(new Link(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))));
        return out;
    }

    /** Bounce reasons of sends of the plan's range, by number of sends (read as {@link #links} reads). */
    public List<BounceReason> bounceReasons(InsightPlan plan, Set<String> esps, Set<String> domains, int limit) {
        List<Object> args = new ArrayList<>();
        List<String> parts = rollups("SELECT reason_key, bounce_type, reason, sends FROM insight_bounce_rollup", plan,
                domains == null, a -> filter("esp", esps, a) + filter("recipient_domain", domains, a), args);
        for (Interval unit : plan.units) {
            parts.add("SELECT d.reason_key, d.bounce_type, d.reason, 1 AS sends" + ofSends("insight_send_bounce", "reason_key")
                    + InsightQuery.range("s.sent_at", unit, args) + filter("s.esp", esps, args)
                    + filter("COALESCE(s.recipient_domain, '')", domains, args));
        }
        List<BounceReason> out = new ArrayList<>();
        if (parts.isEmpty()) {
            return out;
        }
        String sql = "SELECT MIN(reason), bounce_type, SUM(sends) FROM (" + String.join(" UNION ALL ", parts)
                + ") x GROUP BY reason_key, bounce_type HAVING SUM(sends) > 0 ORDER BY 3 DESC, 1, 2 LIMIT " + limit;
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

    /**
     * The select over a detail rollup's rows of the plan's whole days and quarter hours, each with the filters; whole
     * days from the rows of every tag set or domain together when the page filters by neither ({@code acrossAll}).
     */
    private static List<String> rollups(String select, InsightPlan plan, boolean acrossAll,
                                        Function<List<Object>, String> filters, List<Object> args) {
        List<String> parts = new ArrayList<>();
        int days = acrossAll ? InsightDetailRollups.DAY_ALL : InsightDetailRollups.DAY;
        Map<Integer, List<Interval>> grains = Map.of(days, plan.days, InsightDetailRollups.QUARTER, plan.quarters);
        grains.forEach((grain, periods) -> {
            for (Interval period : periods) {
                args.add(grain);
                parts.add(select + " WHERE grain = ? AND " + InsightQuery.range("period", period, args) + filters.apply(args));
            }
        });
        return parts;
    }

    private static String filter(String column, Set<String> accepted, List<Object> args) {
        return accepted == null ? "" : InsightQuery.in(column, accepted, args);
    }
}
