package com.emaileventhub.esp.fuzz;

import com.emaileventhub.esp.fuzz.FuzzVendor.WireRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * One generated request: database, vendor, category and the seed of everything random in it, so that a
 * failing case printed by jqwik can be rebuilt exactly.
 */
record FuzzCase(WebhookFuzzTest.Db db, FuzzVendor vendor, FuzzCategory category, long seed) {
    private static final String MARK = "\"fuzz-marker\"";
    private static final List<String> WRONG_MEDIA_TYPES = List.of("multipart/form-data; boundary=fuzz", "text/plain",
            "application/xml", "application/x-www-form-urlencoded", "text/html", "application/octet-stream");

    WireRequest request() {
        Random r = new Random(seed);
        String sample = vendor.samples().get(r.nextInt(vendor.samples().size()));
        byte[] valid = Mutations.bytes(Mutations.tree(sample));
        return switch (category) {
            case VALID -> vendor.request(valid, UnaryOperator.identity());
            case MUTATED -> payload(Mutations.mutate(Mutations.tree(sample), r));
            case WRONG_TYPES -> payload(Mutations.wrongTypes(Mutations.tree(sample), r));
            case HUGE_STRING -> payload(Mutations.put(Mutations.tree(sample), r,
                    JsonNodeFactory.instance.textNode(Mutations.hugeString(r))));
            case SANE_BIG_NUMBER -> payload(Mutations.put(Mutations.tree(sample), r, Mutations.saneBigNumber(r)));
            case HUGE_EXPONENT -> vendor.request(marked(sample, r, Mutations.hugeExponent(r)), UnaryOperator.identity());
            // up to and across the read limit of 1000 levels (a body at the limit must still be stored)
            case DEEP_NESTING -> vendor.request(marked(sample, r, nested(900 + r.nextInt(110))), UnaryOperator.identity());
            case TOO_DEEP -> vendor.request(marked(sample, r, tooDeep(1001 + r.nextInt(50_000))), UnaryOperator.identity());
            case TRAILING_CONTENT -> vendor.request(valid, b -> Mutations.trailing(b, r));
            case TRUNCATED -> vendor.request(valid, b -> Mutations.truncate(b, r));
            case INVALID_UTF8 -> vendor.request(valid, b -> Mutations.invalidUtf8(b, r));
            case EMPTY_BODY -> vendor.request(valid, b -> r.nextInt(4) == 0 ? " \r\n".getBytes(StandardCharsets.UTF_8) : new byte[0]);
            case RANDOM_BYTES -> vendor.request(valid, b -> Mutations.randomBytes(r));
            case WRONG_CONTENT_TYPE -> vendor.request(valid, UnaryOperator.identity()).withContentType(wrongMediaType(r));
            case HUGE_HEADERS -> hugeHeaders(vendor.request(valid, UnaryOperator.identity()), r);
            case UNSIGNED -> vendor.unsigned(valid);
        };
    }

    private WireRequest payload(JsonNode tree) {
        return vendor.request(Mutations.bytes(tree), UnaryOperator.identity());
    }

    /** The sample with one member set to raw JSON text that a tree cannot hold (absurd numbers, too deep). */
    private static byte[] marked(String sample, Random r, String raw) {
        JsonNode tree = Mutations.put(Mutations.tree(sample), r, JsonNodeFactory.instance.textNode("fuzz-marker"));
        String json = tree.toString();
        return (json.contains(MARK) ? json.replace(MARK, raw) : "[" + raw + "]").getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "\"bottom\"" + "]".repeat(depth);
    }

    private static String tooDeep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private String wrongMediaType(Random r) {
        String mt;
        do {
            mt = r.nextInt(8) == 0 ? null : WRONG_MEDIA_TYPES.get(r.nextInt(WRONG_MEDIA_TYPES.size()));
        } while (mt != null && vendor.mediaTypes().contains(mt));
        return mt;
    }

    /** Many headers, or one very long one, beside the vendor's authentic ones. */
    private static WireRequest hugeHeaders(WireRequest request, Random r) {
        Map<String, String> headers = new HashMap<>(request.headers());
        if (r.nextBoolean()) {
            headers.put("X-Fuzz", "v".repeat(1_000 + r.nextInt(20_000)));
        } else {
            for (int i = 0; i < 50 + r.nextInt(300); i++) {
                headers.put("X-Fuzz-" + i, "value-" + i);
            }
        }
        return new WireRequest(request.contentType(), request.body(), headers);
    }

    @Override
    public String toString() {
        return db + "/" + vendor.name() + "/" + category + "/seed=" + seed;
    }
}
