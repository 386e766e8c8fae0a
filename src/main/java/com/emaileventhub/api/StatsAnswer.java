package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.InsightCounts;
import com.emaileventhub.store.InsightRates;
import com.emaileventhub.store.InsightQuery;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/** Sums rows into groups and buckets, and writes the answer of GET /api/stats with its rates. */
final class StatsAnswer {
    private static final List<String> C = InsightCounts.NAMES;
    private static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private final StatsRequest request;
    private final LongUnaryOperator bucketOf;
    private final Map<String, List<String>> tagsets;
    private final long[] totals = new long[InsightCounts.SIZE];
    private final Map<List<String>, TreeMap<Long, long[]>> groups = new TreeMap<>(KEY_ORDER);

    StatsAnswer(StatsRequest request, LongUnaryOperator bucketOf, Map<String, List<String>> tagsets) {
        this.request = request;
        this.bucketOf = bucketOf;
        this.tagsets = tagsets;
    }

    void add(InsightQuery.Row row) {
        add(totals, row.counts());
        long bucket = bucketOf.applyAsLong(row.at());
        for (List<String> key : keys(row)) {
            add(groups.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(bucket, b -> new long[C.size()]),
                    row.counts());
        }
    }

    /** The group keys a row counts under: one, or one per tag of its tag set when grouped by tag. */
    private List<List<String>> keys(InsightQuery.Row row) {
        List<List<String>> keys = new ArrayList<>();
        keys.add(new ArrayList<>());
        for (String dim : request.groupBy()) {
            if (dim.equals("tag")) {
                keys = withTags(keys, row.tagset());
            } else {
                String v = switch (dim) {
                    case "esp" -> row.esp();
                    case "recipient_domain" -> row.domain();
                    default -> row.provider();
                };
                String value = v == null || v.isEmpty() ? null : v;
                keys.forEach(k -> k.add(value));
            }
        }
        return keys;
    }

    private List<List<String>> withTags(List<List<String>> keys, String tagset) {
        List<String> tags = tagset == null || tagset.isEmpty() ? Arrays.asList((String) null)
                : tagsets.getOrDefault(tagset, List.of());
        Set<String> filter = request.filters().get("tag");
        List<List<String>> out = new ArrayList<>();
        for (String tag : tags) {
            if (filter != null && !filter.contains(tag == null ? "" : tag)) {
                continue;   // grouped by tag and filtered by tag: only the tags asked for
            }
            for (List<String> k : keys) {
                List<String> copy = new ArrayList<>(k);
                copy.add(tag);
                out.add(copy);
            }
        }
        return out;
    }

    String json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("from", Timestamps.format(request.from()));
        root.put("to", Timestamps.format(request.to()));
        root.put("bucket", request.bucket());
        root.put("tz", request.tz().getId());
        ArrayNode groupBy = root.putArray("group_by");
        request.groupBy().forEach(groupBy::add);
        figures(root.putObject("totals"), totals);
        ArrayNode out = root.putArray("groups");
        boolean none = request.bucket().equals("none");
        long from = request.from().toEpochMilli();
        if (groups.isEmpty() && request.groupBy().isEmpty()) {
            groups.put(List.of(), new TreeMap<>());
        }
        groups.forEach((key, buckets) -> {
            long[] sum = new long[C.size()];
            buckets.values().forEach(b -> add(sum, b));
            if (!key.isEmpty() && sum[C.indexOf("events")] == 0) {
                return;   // only rows a moved send left empty
            }
            ObjectNode g = out.addObject();
            ObjectNode k = g.putObject("key");
            for (int i = 0; i < key.size(); i++) {
                k.put(request.groupBy().get(i), key.get(i));
            }
            figures(g.putObject("totals"), sum);
            ArrayNode list = g.putArray("buckets");
            if (none) {
                bucket(list, from, sum);
            } else {
                buckets.forEach((start, counts) -> {
                    if (counts[C.indexOf("events")] > 0) {
                        bucket(list, start, counts);
                    }
                });
            }
        });
        return root.toString();
    }

    private static void bucket(ArrayNode list, long start, long[] counts) {
        ObjectNode b = list.addObject();
        b.put("start", Timestamps.format(Instant.ofEpochMilli(start)));
        figures(b, counts);
    }

    private static void figures(ObjectNode node, long[] counts) {
        ObjectNode c = node.putObject("counts");
        for (int i = 0; i < C.size(); i++) {
            c.put(C.get(i), counts[i]);
        }
        ObjectNode r = node.putObject("rates");
        for (InsightRates.Rate rate : InsightRates.ALL) {
            Double value = rate.value(counts);
            if (value == null) {
                r.putNull(rate.name());
            } else {
                r.put(rate.name(), value);
            }
        }
    }

    private static void add(long[] sum, long[] counts) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += counts[i];
        }
    }
}
