package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What alert rules measure, per group: the insight counts of the sends whose time lies in a trailing window
 * (read like /api/stats, by {@link InsightReader}), clicks per message in the journal, and each ESP's latest event.
 */
public final class AlertFigures {
    private static final String CLICKS = "SELECT esp, message_id, COUNT(*) FROM hub_event WHERE type = 'clicked' "
            + "AND message_id IS NOT NULL AND occurred_at >= ? AND occurred_at < ? GROUP BY esp, message_id";
    private static final String LAST_EVENT = "SELECT esp, MAX(received_at) FROM hub_event WHERE received_at >= ? "
            + "GROUP BY esp";

    /**
     * How far before the previous evaluation the next one reads again for each ESP's latest event: an event is dated
     * when it is received, and committed (on any instance) up to a group commit later; the margin also covers clocks
     * of instances a little apart.
     */
    static final long LATE_MILLIS = 5 * 60_000;

    private final InsightReader reader;
    private final InsightQuery query;
    /** Each ESP's latest received_at read so far, and the received_at from which the next read starts. */
    private final Map<String, Long> latest = new HashMap<>();
    private long readFrom = Long.MIN_VALUE;

    public AlertFigures(InsightReader reader, InsightQuery query) {
        this.reader = reader;
        this.query = query;
    }

    /** Counts (InsightCounts order) per group of the sends whose time is in [from, to). */
    public Map<Map<String, String>, long[]> counts(long from, long to, List<String> groupBy) {
        Map<String, List<String>> tagsets = groupBy.contains("tag") ? reader.tagsets() : Map.of();
        Map<Map<String, String>, long[]> out = new HashMap<>();
        reader.read(new InsightReader.Request(from, to, "none", ZoneOffset.UTC, groupBy, Map.of()), tagsets,
                row -> add(out, row, groupBy, tagsets));
        return out;
    }
    private static void add(Map<Map<String, String>, long[]> out, InsightQuery.Row row, List<String> groupBy,
                            Map<String, List<String>> tagsets) {
        List<String> tags = groupBy.contains("tag") ? tagsets.getOrDefault(row.tagset(), List.of()) : List.of();
        for (String tag : tags.isEmpty() ? Collections.<String>singletonList(null) : tags) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String dim : groupBy) {
                key.put(dim, switch (dim) {
                    case "esp" -> row.esp();
                    case "recipient_domain" -> blankToNull(row.domain());
                    case "mailbox_provider" -> row.provider() != null ? row.provider()
                            : Sends.mailboxProvider(row.domain());
                    default -> tag;
                });
            }
            long[] sum = out.computeIfAbsent(key, k -> new long[InsightCounts.SIZE]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += row.counts()[i];
            }
        }
    }

    /** Human and machine clicks per (esp, send key) whose event occurred in [from, to). */
    public Map<Map<String, String>, Long> clicksPerMessage(long from, long to) {
        Map<Map<String, String>, Long> out = new HashMap<>();
        query.query(CLICKS, List.of(from, to), rs -> {
            String esp = rs.getString(1);
            Map<String, String> key = new LinkedHashMap<>();
            key.put("esp", esp);
            key.put("message_id", Sends.sendKey(esp, rs.getString(2)));
            out.merge(key, rs.getLong(3), Long::sum);
        });
        return out;
    }

    /**
     * The latest received_at per ESP, for the ESPs with an event received at or after {@code since}, as at
     * {@code now}. The first call reads the whole window (24 hours by default: every event of a day, which took
     * PostgreSQL 2.7 s over 3 million events, once a minute); later calls read only what was received since the
     * previous call, less {@link #LATE_MILLIS}, and keep the rest from memory.
     */
    public synchronized Map<String, Long> lastEventPerEsp(long since, long now) {
        query.query(LAST_EVENT, List.of(Math.max(since, readFrom)),
                rs -> latest.merge(rs.getString(1), rs.getLong(2), Math::max));
        readFrom = Math.max(readFrom, now - LATE_MILLIS);
        latest.values().removeIf(at -> at < since);
        return new HashMap<>(latest);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
