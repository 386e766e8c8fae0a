package com.emaileventhub.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hub's one ObjectMapper and the small JSON readers that normalizers share. */
public final class Json {
    /**
     * The largest decimal exponent (either sign) a received number may have. Jackson bounds a number's
     * digits (StreamReadConstraints) but not its exponent: 1795E71244000 parses in microseconds, and any
     * plain-text or integer conversion of it then builds a 71-million-digit value. Nothing a vendor sends
     * comes near this (epoch milliseconds are 13 digits, Mailjet's MessageID 19).
     */
    public static final int MAX_EXPONENT = 1000;

    /** The deepest nesting a received document may have (Jackson's default read limit). */
    public static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    /** Decimals stay exact (Mailjet's 19-digit MessageID, Mailgun's microsecond timestamps). */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // a received document may be MAX_DEPTH deep (parse() checks it); the canonical event holds it as raw
            // a level further down, and stores keep that event as JSON: writing and reading it back must allow
            // more, or a legal body fails its store with a 500, or its deliveries go dead
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 16).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2 * MAX_DEPTH).build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // one document per body: "{...}{...}" or "[...] [...]" is malformed, not its first half
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // raw keeps the vendor's numbers as written: 12.50 stays 12.50
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private Json() {
    }

    /**
     * A JSON document from untrusted bytes: valid UTF-8, exactly one value, at most {@link #MAX_DEPTH} deep,
     * every number within {@link #MAX_EXPONENT}.
     */
    public static JsonNode parse(byte[] json) throws JsonProcessingException {
        int bad = firstInvalidUtf8(json);
        if (bad >= 0) {
            // Jackson lets some invalid sequences through (surrogates, overlong forms) as other characters
            throw new UnsafeJson("body is not valid UTF-8 (at byte " + bad + ")");
        }
        try {
            return checked(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array failed", e);
        }
    }

    /** As {@link #parse(byte[])}, for JSON carried inside a field (Mandrill's form field, SNS's Message). */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return checked(MAPPER.readTree(json));
    }

    /**
     * The offset of the first byte that is not well-formed UTF-8 (the JDK's strict decoder: no overlong
     * forms, no surrogates, nothing above U+10FFFF), or -1. Decodes into a small buffer it reuses.
     */
    static int firstInvalidUtf8(byte[] b) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return decoder.flush(out).isError() ? in.position() : -1;
            }
            out.clear();   // overflow: the decoded text is not needed, only whether it decodes
        }
    }

    private static JsonNode checked(JsonNode root) {
        if (root != null) {
            check(root, new StringBuilder("$"), 1);
        }
        return root;
    }

    /** Walks the tree and refuses the first container nested too deep or number of absurd magnitude. */
    private static void check(JsonNode node, StringBuilder path, int depth) {
        if (node.isBigDecimal() && Math.abs(node.decimalValue().scale()) > MAX_EXPONENT) {
            throw new UnsafeJson(abbreviated(path) + ": number out of range (exponent beyond \u00b1" + MAX_EXPONENT + ")");
        }
        if (node.isContainerNode()) {
            if (depth > MAX_DEPTH) {
                throw new UnsafeJson(abbreviated(path) + ": nesting depth exceeds " + MAX_DEPTH + " levels");
            }
            int mark = path.length();
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), path.append('[').append(i).append(']'), depth + 1);
                    path.setLength(mark);
                }
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    check(field.getValue(), appendField(path, field.getKey()), depth + 1);
                    path.setLength(mark);
                }
            }
        }
    }

    /** A path for a message: a thousand levels of [0] help nobody. */
    private static String abbreviated(StringBuilder path) {
        return path.length() <= 200 ? path.toString() : path.substring(0, 100) + "..." + path.substring(path.length() - 60);
    }

    /** {@code .name} for plain names, {@code ["..."]} for any other key (kept short: it ends up in an error message). */
    private static StringBuilder appendField(StringBuilder path, String key) {
        if (!key.isEmpty() && key.length() <= 64 && key.chars().allMatch(c -> c == '_' || c == '-'
                || Character.isLetterOrDigit(c))) {
            return path.append('.').append(key);
        }
        String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return path.append('[').append(MAPPER.getNodeFactory().textNode(shown).toString()).append(']');
    }

    /** Well-formed JSON the hub refuses to read: invalid UTF-8, or a number of absurd magnitude (named by its path). */
    public static final class UnsafeJson extends IllegalArgumentException {
        UnsafeJson(String message) {
            super(message);
        }
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
            // plain text of a number with a huge exponent would be millions of digits; parse() refuses those
            // anyway, so the scientific form only ever shows for trees built elsewhere
            BigDecimal d = v.decimalValue();
            return Math.abs(d.scale()) <= MAX_EXPONENT ? d.toPlainString() : d.toString();
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
