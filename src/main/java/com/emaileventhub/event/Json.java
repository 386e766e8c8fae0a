package com.emaileventhub.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hub's one ObjectMapper and the small JSON readers that normalizers share. */
public final class Json {
    /** Decimals stay exact (Mailjet's 19-digit MessageID, Mailgun's microsecond timestamps). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // raw keeps the vendor's numbers as written: 12.50 stays 12.50
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private Json() {
    }

    /** The text of a scalar field (numbers exactly as written), or null when missing, null, or not a scalar. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return scalar(v);
    }

    /** Follows a path of field names; null as soon as one is missing. */
    public static String text(JsonNode node, String... path) {
        JsonNode v = node;
        for (String p : path) {
            if (v == null) {
                return null;
            }
            v = v.get(p);
        }
        return scalar(v);
    }

    public static String scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) {
            return null;
        }
        if (v.isBigDecimal()) {
            return v.decimalValue().toPlainString();
        }
        return v.asText();
    }

    /** A string or an array of strings, as tags and categories arrive. */
    public static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(e -> {
                String s = scalar(e);
                if (s != null) {
                    out.add(s);
                }
            });
        } else {
            String s = scalar(v);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** An object of scalars as string → string (nested values are kept as their JSON text). */
    public static Map<String, String> stringMap(JsonNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null && v.isObject()) {
            v.fields().forEachRemaining(e -> {
                JsonNode value = e.getValue();
                if (value != null && !value.isNull()) {
                    out.put(e.getKey(), value.isContainerNode() ? value.toString() : scalar(value));
                }
            });
        }
        return out;
    }

    /** A JSON boolean, or its text ("true"/"false", "1"/"0"); null when absent or anything else. */
    public static Boolean bool(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String s = v.asText().trim();
        if (s.equalsIgnoreCase("true") || s.equals("1")) {
            return true;
        }
        return s.equalsIgnoreCase("false") || s.equals("0") ? false : null;
    }
}
