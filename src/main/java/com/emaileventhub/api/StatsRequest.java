package com.emaileventhub.api;

import com.emaileventhub.event.Timestamps;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parameters of GET /api/stats, checked: each wrong one answers 400 naming it. */
record StatsRequest(Instant from, Instant to, String bucket, ZoneId tz, List<String> groupBy,
                    Map<String, Set<String>> filters) {
    static final List<String> DIMENSIONS = List.of("esp", "recipient_domain", "mailbox_provider", "tag");
    static final List<String> BUCKETS = List.of("hour", "day", "week", "month", "none");
    static final int MAX_GROUPS = 3;
    private static final Duration DEFAULT_RANGE = Duration.ofDays(7);

    static Set<String> parameters() {
        Set<String> known = new LinkedHashSet<>(List.of("from", "to", "bucket", "tz", "group_by"));
        known.addAll(DIMENSIONS);
        return known;
    }

    static StatsRequest parse(QueryString q, Instant now) {
        Instant[] range = range(q, now);
        String bucket = q.single("bucket") == null ? "day" : q.single("bucket");
        if (!BUCKETS.contains(bucket)) {
            throw new ApiError(400, "parameter bucket: must be one of " + String.join(", ", BUCKETS));
        }
        ZoneId tz;
        try {
            tz = q.single("tz") == null ? ZoneId.of("UTC") : ZoneId.of(q.single("tz"));
        } catch (DateTimeException e) {
            throw new ApiError(400, "parameter tz: not a time zone id (IANA, e.g. Europe/Paris)");
        }
        return new StatsRequest(range[0], range[1], bucket, tz, groupBy(q), filters(q, DIMENSIONS));
    }

    /** from and to (RFC 3339), by default the last 7 days; from must come before to. */
    static Instant[] range(QueryString q, Instant now) {
        Instant to = time(q, "to");
        Instant from = time(q, "from");
        to = to == null ? now : to;
        from = from == null ? to.minus(DEFAULT_RANGE) : from;
        if (!from.isBefore(to)) {
            throw new ApiError(400, "parameter from: must be before to");
        }
        return new Instant[] {from, to};
    }

    private static Instant time(QueryString q, String name) {
        String v = q.single(name);
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.fromIso(v);
        } catch (RuntimeException e) {
            throw new ApiError(400, "parameter " + name + ": not an RFC 3339 timestamp");
        }
    }

    private static List<String> groupBy(QueryString q) {
        List<String> out = new ArrayList<>();
        for (String value : q.all("group_by")) {
            for (String d : value.split(",")) {
                String dim = d.trim();
                if (dim.isEmpty()) {
                    continue;
                }
                if (!DIMENSIONS.contains(dim)) {
                    throw new ApiError(400, "parameter group_by: unknown dimension '" + dim + "' (known: "
                            + String.join(", ", DIMENSIONS) + ")");
                }
                if (out.contains(dim)) {
                    throw new ApiError(400, "parameter group_by: '" + dim + "' is given twice");
                }
                out.add(dim);
            }
        }
        if (out.size() > MAX_GROUPS) {
            throw new ApiError(400, "parameter group_by: at most " + MAX_GROUPS + " dimensions");
        }
        return out;
    }

    /** Per dimension given, its accepted values (repeatable: any of them); an empty value means "none". */
    static Map<String, Set<String>> filters(QueryString q, List<String> dimensions) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String dim : dimensions) {
            if (q.has(dim)) {
                Set<String> values = new LinkedHashSet<>(q.all(dim));
                out.put(dim, values);
            }
        }
        return out;
    }
}
