package com.emaileventhub.store;

import com.emaileventhub.store.InsightQuery.Filter;
import com.emaileventhub.store.InsightQuery.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The figures of the sends (and events of no send) whose time is in a range, as rows per period and the
 * dimensions asked for, read from the cheapest rows that answer exactly (see {@link InsightPlan}). What
 * /api/stats sums per bucket, and what a rule over a trailing window sums per group.
 */
public final class InsightReader {
    /** The dimensions, and the column each is stored in. */
    public static final Map<String, String> COLUMNS = Map.of("esp", "esp", "recipient_domain", "recipient_domain",
            "mailbox_provider", "mailbox_provider", "tag", "tagset");
    /** Quarter-hour rows younger than their retention by this margin are certainly kept (maintenance runs hourly). */
    private static final Duration MARGIN = Duration.ofDays(1);

    /** One read: the range [from, to) of send times, the bucket rule, grouping and filters by dimension name. */
    public record Request(long from, long to, String bucket, ZoneId tz, List<String> groupBy,
                          Map<String, Set<String>> filters) {
    }

    private final InsightQuery query;
    private final Clock clock;
    private final Duration fineRetention;

    public InsightReader(InsightQuery query, Clock clock, Duration fineRetention) {
        this.query = query;
        this.clock = clock;
        this.fineRetention = fineRetention;
    }

    /** Rows for the request, each at its period's (or unit's) time; the plan maps a time to its bucket. */
    public InsightPlan read(Request r, Map<String, List<String>> tagsets, Consumer<Row> out) {
        InsightPlan plan = new InsightPlan(r.from(), r.to(), r.bucket(), r.tz(), fineFrom());
        Filter filter = filter(r.filters(), tagsets);
        boolean byDomain = r.groupBy().contains("recipient_domain") || r.filters().containsKey("recipient_domain");
        List<String> columns = r.groupBy().stream().map(COLUMNS::get).toList();
        query.rollups(byDomain ? InsightRollups.DAY_BY_DOMAIN : InsightRollups.DAY_BY_PROVIDER, plan.days, filter,
                columns, out);
        query.rollups(byDomain ? InsightRollups.QUARTER_BY_DOMAIN : InsightRollups.QUARTER_BY_PROVIDER, plan.quarters,
                filter, columns, out);
        query.units(plan.units, filter, out);
        return plan;
    }

    /** The rows that answer for [from, to) as one bucket (what the links and bounce reasons read). */
    public InsightPlan plan(long from, long to) {
        return new InsightPlan(from, to, "none", ZoneOffset.UTC, fineFrom());
    }

    /** Quarter-hour rows are read only where certainly kept: inside the retention, and after every cut applied. */
    private long fineFrom() {
        return Math.max(clock.instant().minus(fineRetention).plus(MARGIN).toEpochMilli(), query.fineCut());
    }

    /** Every stored tag set: key to its tags. */
    public Map<String, List<String>> tagsets() {
        return query.tagsets();
    }

    /** Filters by stored column: tags become the tag sets holding any of them ('' for "no tag"). */
    public static Filter filter(Map<String, Set<String>> given, Map<String, List<String>> tagsets) {
        Map<String, Set<String>> out = new HashMap<>();
        given.forEach((dim, values) -> {
            if (dim.equals("tag")) {
                Set<String> keys = new HashSet<>();
                if (values.contains("")) {
                    keys.add(InsightQuery.NONE);
                }
                tagsets.forEach((key, tags) -> {
                    if (tags.stream().anyMatch(values::contains)) {
                        keys.add(key);
                    }
                });
                out.put("tagset", keys);
            } else {
                Set<String> v = new LinkedHashSet<>();
                values.forEach(s -> v.add(dim.equals("recipient_domain") ? s.toLowerCase(Locale.ROOT) : s));
                out.put(COLUMNS.get(dim), v);
            }
        });
        return new Filter(out);
    }
}
