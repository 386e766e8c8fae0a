package com.emaileventhub.esp.fuzz;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Hostile variations of a valid JSON payload, as trees (shape mutations) or as bytes (encoding faults). */
final class Mutations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Mutations() {
    }

    static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("sample is not JSON", e);
        }
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Removes, replaces (any JSON type) or renames 1-3 random members or elements. */
    static JsonNode mutate(JsonNode root, Random r) {
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Slot s = randomSlot(root, r);
            if (s == null) {
                break;
            }
            switch (r.nextInt(3)) {
                case 0 -> s.remove();
                case 1 -> s.replace(anyValue(r, 2));
                default -> s.rename("x" + r.nextInt(100));
            }
        }
        return root;
    }

    /** Replaces 1-4 leaves with a value of another JSON type (a number for a string, an object for an array ...). */
    static JsonNode wrongTypes(JsonNode root, Random r) {
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            Slot s = randomSlot(root, r);
            if (s != null) {
                JsonNode old = s.get();
                JsonNode v;
                do {
                    v = anyValue(r, 1);
                } while (v.getNodeType() == old.getNodeType());
                s.replace(v);
            }
        }
        return root;
    }

    /** Sets one random member (or adds one) to the given value. */
    static JsonNode put(JsonNode root, Random r, JsonNode value) {
        Slot s = randomSlot(root, r);
        if (s == null || r.nextInt(4) == 0) {
            ObjectNode target = randomObject(root, r);
            if (target == null) {
                return root;
            }
            target.set("fuzz" + r.nextInt(10), value);
        } else {
            s.replace(value);
        }
        return root;
    }

    /** A number of absurd magnitude, written in the body with a large exponent: 1795E71244000, 4e-1001 ... */
    static String hugeExponent(Random r) {
        long exp = Json.MAX_EXPONENT + 1 + (long) (r.nextDouble() * r.nextDouble() * 2_000_000_000L);
        String mantissa = switch (r.nextInt(3)) {
            case 0 -> Integer.toString(1 + r.nextInt(9999));
            case 1 -> "1." + (1 + r.nextInt(99));
            default -> "-" + (1 + r.nextInt(99));
        };
        return mantissa + (r.nextBoolean() ? "E" : "e") + (r.nextInt(4) == 0 ? "-" : r.nextBoolean() ? "+" : "") + exp;
    }

    /** Large but legitimate JSON numbers. */
    static JsonNode saneBigNumber(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> F.numberNode(new BigInteger(64 + r.nextInt(900), r));
            case 1 -> F.numberNode(new BigDecimal("1e" + (r.nextInt(2 * Json.MAX_EXPONENT) - Json.MAX_EXPONENT)));
            case 2 -> F.numberNode(Long.MAX_VALUE);
            default -> F.numberNode(new BigDecimal(-r.nextDouble() * 1e15));
        };
    }

    static String hugeString(Random r) {
        int size = 2_000_000 + r.nextInt(2_000_000);
        char c = (char) ('a' + r.nextInt(26));
        return String.valueOf(c).repeat(size);
    }

    /** The body cut before its end, with at least one non-blank character removed. */
    static byte[] truncate(byte[] body, Random r) {
        int last = body.length - 1;
        while (last > 0 && Character.isWhitespace(body[last])) {
            last--;
        }
        return Arrays.copyOf(body, r.nextInt(Math.max(1, last)));
    }

    static byte[] trailing(byte[] body, Random r) {
        String[] tails = {"{}", "[]", "{\"a\":1}", "[1]", "\"x\"", "1", "null", "true", new String(body, StandardCharsets.UTF_8)};
        String sep = r.nextBoolean() ? "" : r.nextBoolean() ? "\n" : " ";
        return concat(body, (sep + tails[r.nextInt(tails.length)]).getBytes(StandardCharsets.UTF_8));
    }

    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};

    /** An invalid UTF-8 sequence inside a string value (just after an opening quote), or anywhere. */
    static byte[] invalidUtf8(byte[] body, Random r) {
        byte[] bad = INVALID_UTF8[r.nextInt(INVALID_UTF8.length)];
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '"') {
                quotes.add(i + 1);
            }
        }
        int at = quotes.isEmpty() || r.nextInt(5) == 0 ? r.nextInt(body.length + 1) : quotes.get(r.nextInt(quotes.size()));
        byte[] out = new byte[body.length + bad.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(body, at, out, at + bad.length, body.length - at);
        return out;
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[8 + r.nextInt(2000)];
        r.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static JsonNode anyValue(Random r, int depth) {
        int kinds = depth > 0 ? 9 : 7;
        return switch (r.nextInt(kinds)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(r.nextInt());
            case 3 -> F.numberNode(new BigDecimal(r.nextGaussian() * 1e12));
            case 4 -> F.textNode("");
            case 5 -> F.textNode(List.of("bounce", "hard_bounce", "x@y", "2026-13-45T99:99:99Z", "\u0000", "\ud800",
                    "1e99999", "NaN", "-1", "{\"a\":1}", "[]").get(r.nextInt(11)));
            case 6 -> F.numberNode(r.nextLong());
            case 7 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    a.add(anyValue(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    o.set("k" + i, anyValue(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** A place in the tree that holds a value: an object member or an array element. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void replace(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void rename(String name) {
            if (field != null) {
                JsonNode v = ((ObjectNode) parent).remove(field);
                ((ObjectNode) parent).set(name, v);
            }
        }
    }

    private static Slot randomSlot(JsonNode root, Random r) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        return slots.isEmpty() ? null : slots.get(r.nextInt(slots.size()));
    }

    private static void collect(JsonNode node, List<Slot> into) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                into.add(new Slot(node, f, -1));
                collect(node.get(f), into);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                into.add(new Slot(node, null, i));
                collect(node.get(i), into);
            }
        }
    }

    private static ObjectNode randomObject(JsonNode root, Random r) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        return objects.isEmpty() ? null : objects.get(r.nextInt(objects.size()));
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode o) {
            into.add(o);
        }
        node.forEach(child -> collectObjects(child, into));
    }
}
