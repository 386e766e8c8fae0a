package com.emaileventhub.verify;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Svix / Standard Webhooks signature scheme (Resend, and every vendor that sends through Svix):
 * headers {@code svix-id}, {@code svix-timestamp}, {@code svix-signature} (or the unbranded
 * {@code webhook-*} names); HMAC-SHA256 over {@code id + "." + timestamp + "." + raw body}, keyed with
 * the base64-decoded part of the {@code whsec_} secret; the signature header is a space-separated list
 * of {@code version,base64} entries of which any {@code v1} entry may match (secret rotation on the
 * sender's side); the timestamp must lie within the tolerance both ways (svix libraries: 5 minutes).
 */
public final class StandardWebhooks {
    private static final String SECRET_PREFIX = "whsec_";

    private StandardWebhooks() {
    }

    /** The three signature headers, taken all branded or all unbranded, as the Svix libraries do. */
    public record Headers(String id, String timestamp, String signature) {
        /** The header names a sender uses: Svix's branded ones, or Standard Webhooks' unbranded ones. */
        public static final Headers SVIX = new Headers("svix-id", "svix-timestamp", "svix-signature");
        public static final Headers UNBRANDED = new Headers("webhook-id", "webhook-timestamp", "webhook-signature");

        public static Headers of(WebhookRequest request) {
            Headers svix = SVIX.valuesIn(request);
            if (svix.complete()) {
                return svix;
            }
            Headers unbranded = UNBRANDED.valuesIn(request);
            return unbranded.complete() ? unbranded : svix;
        }

        /** These names' values in the request. */
        private Headers valuesIn(WebhookRequest request) {
            return new Headers(request.header(id), request.header(timestamp), request.header(signature));
        }

        /** The names in the order they are listed (id, timestamp, signature). */
        public List<String> names() {
            return List.of(id, timestamp, signature);
        }

        boolean complete() {
            return id != null && timestamp != null && signature != null;
        }
    }

    /** The message id (svix-id / webhook-id) of a request; it is the same on every retry of one event. */
    public static String messageId(WebhookRequest request) {
        String id = request.header(Headers.SVIX.id());
        return id != null ? id : request.header(Headers.UNBRANDED.id());
    }

    /**
     * Verifies the request against the configured secrets; 401 naming what failed.
     *
     * @param secrets {@code whsec_<base64>} secrets (the prefix is optional), any of which may have signed
     * @param secretKey the configuration key the secrets came from, for error messages
     */
    public static void verify(WebhookRequest request, List<String> secrets, String secretKey, Duration tolerance) {
        if (secrets.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no signing secret is configured (" + secretKey + ")");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String secret : secrets) {
            keys.add(decodeSecret(secret, secretKey));
        }
        Headers h = Headers.of(request);
        if (h.id() == null || h.timestamp() == null || h.signature() == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS,
                    "svix-id, svix-timestamp and svix-signature headers are required");
        }
        Instant signedAt = TimeWindow.epochSeconds(h.timestamp(), "svix-timestamp");
        TimeWindow.check(signedAt, tolerance, request.receivedAt(), "svix-timestamp");

        byte[] signed = signedContent(h.id(), h.timestamp(), request.body());
        boolean match = false;
        for (String entry : h.signature().split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue; // other versions (v1a: asymmetric) are not ours to check
            }
            match |= Hmac.matchesAny(Hmac.Algorithm.SHA256, keys, signed, entry.substring(comma + 1), Hmac.Encoding.BASE64);
        }
        if (!match) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "no v1 signature in svix-signature matches");
        }
    }

    /** The signature header value for a payload: {@code v1,<base64>} (used by tests and by senders). */
    public static String sign(String secret, String id, String timestamp, byte[] body) {
        byte[] mac = Hmac.compute(Hmac.Algorithm.SHA256, decodeSecret(secret, "secret"), signedContent(id, timestamp, body));
        return "v1," + Hmac.encode(mac, Hmac.Encoding.BASE64);
    }

    /** The HMAC key of a {@code whsec_} secret; an undecodable secret is a configuration error naming the key. */
    public static byte[] decodeSecret(String secret, String secretKey) {
        String s = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            byte[] key = Base64.getDecoder().decode(s);
            if (key.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(secretKey + ": not a whsec_<base64> signing secret");
        }
    }

    private static byte[] signedContent(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }
}
