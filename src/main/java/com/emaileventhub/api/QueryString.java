package com.emaileventhub.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The query string of a call as given (repeated parameters kept, in order), read from the raw query rather
 * than from headers, so that an unknown parameter is told apart from an HTTP header and none is lost.
 */
final class QueryString {
    private final Map<String, List<String>> values;

    private QueryString(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @throws ApiError 400 naming the first parameter that is not in {@code known} */
    static QueryString of(Message m, Set<String> known) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String raw = m.getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + name);
                if (!known.contains(name)) {
                    throw new ApiError(400, "parameter " + name + ": unknown (known: " + String.join(", ", known) + ")");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value.trim());
            }
        }
        return new QueryString(values);
    }

    private static String decode(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, what + ": bad percent-encoding");
        }
    }

    /** Every value given (empty list when absent). */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The one value, or null when absent or empty; 400 when given twice. */
    String single(String name) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new ApiError(400, "parameter " + name + ": given " + v.size() + " times; at most once");
        }
        return v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }
}
