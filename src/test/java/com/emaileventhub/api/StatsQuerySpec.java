package com.emaileventhub.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One GET /api/stats query of the property test: range in epoch millis, bucket, zone, grouping, filters. */
record StatsQuerySpec(long from, long to, String bucket, String tz, List<String> groupBy, Map<String, Set<String>> filters) {
    String query() {
        List<String> parts = new ArrayList<>(List.of("from=" + enc(Instant.ofEpochMilli(from).toString()),
                "to=" + enc(Instant.ofEpochMilli(to).toString()), "bucket=" + bucket, "tz=" + enc(tz)));
        if (!groupBy.isEmpty()) {
            parts.add("group_by=" + String.join(",", groupBy));
        }
        filters.forEach((dim, values) -> values.forEach(v -> parts.add(dim + "=" + enc(v))));
        return String.join("&", parts);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
