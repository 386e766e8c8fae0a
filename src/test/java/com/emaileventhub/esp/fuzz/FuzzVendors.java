package com.emaileventhub.esp.fuzz;

import static com.emaileventhub.esp.Requests.basic;

import com.emaileventhub.esp.brevo.BrevoWebhookTest;
import com.emaileventhub.esp.fuzz.FuzzVendor.WireRequest;
import com.emaileventhub.esp.mailersend.MailerSendHttpTest;
import com.emaileventhub.esp.mailgun.MailgunPayloads;
import com.emaileventhub.esp.mailjet.MailjetWebhookTest;
import com.emaileventhub.esp.mandrill.MandrillWebhookTest;
import com.emaileventhub.esp.postmark.PostmarkPayloads;
import com.emaileventhub.esp.resend.ResendWebhookTest;
import com.emaileventhub.esp.sendgrid.SendGridPayloads;
import com.emaileventhub.esp.ses.SnsSigning;
import com.emaileventhub.esp.sparkpost.SparkPostWebhookTest;
import com.emaileventhub.support.Signing;
import com.emaileventhub.verify.StandardWebhooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The nine built-in vendor routes and the YAML-declared MailerSend, each with fresh credentials, samples from
 * the vendors' own test payloads, and signing written out here as each vendor documents it.
 */
final class FuzzVendors {
    private static final String JSON = "application/json";
    private static final String MANDRILL_URL = "https://hub.example.com/webhooks/mandrill";

    private final String secret = "fz-" + UUID.randomUUID();
    private final String resendSecret = "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    private final KeyPair sendGridKey = Signing.ecKeyPair();
    private final SnsSigning sns = new SnsSigning();
    private final List<FuzzVendor> all;

    FuzzVendors() {
        all = List.of(sendGrid(), mailgun(), basicAuth("postmark", List.of(PostmarkPayloads.DELIVERY,
                        PostmarkPayloads.BOUNCE, PostmarkPayloads.SPAM_COMPLAINT, PostmarkPayloads.OPEN, PostmarkPayloads.CLICK)),
                ses(), basicAuth("sparkpost", List.of(SparkPostWebhookTest.BATCH)), mandrill(),
                basicAuth("brevo", List.of(BrevoWebhookTest.REQUEST_EVENT, BrevoWebhookTest.BATCH)), resend(),
                basicAuth("mailjet", List.of(MailjetWebhookTest.SENT, MailjetWebhookTest.GROUPED)), mailerSend());
    }

    List<FuzzVendor> all() {
        return all;
    }

    FuzzVendor get(String name) {
        return all.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** The hub settings that make every route accept these vendors' requests. */
    Map<String, String> hubConfig() throws IOException {
        Map<String, String> c = new HashMap<>(sns.hubConfig());
        for (String v : List.of("postmark", "sparkpost", "brevo", "mailjet")) {
            c.put("hub.esp." + v + ".username", "fuzz");
            c.put("hub.esp." + v + ".password", secret);
        }
        c.put("hub.esp.sendgrid.public-key", Base64.getEncoder().encodeToString(sendGridKey.getPublic().getEncoded()));
        c.put("hub.esp.mailgun.signing-key", secret);
        c.put("hub.esp.mandrill.webhook-key", secret);
        c.put("hub.esp.mandrill.webhook-url", MANDRILL_URL);
        c.put("hub.esp.resend.secret", resendSecret);
        c.put("hub.esp.mailersend.secret", secret);
        return c;
    }

    private FuzzVendor basicAuth(String name, List<String> samples) {
        return new Signed(name, samples, List.of(JSON), body -> Map.of("Authorization", basic("fuzz", secret)));
    }

    private FuzzVendor sendGrid() {
        return new Signed("sendgrid", List.of(SendGridPayloads.batch(SendGridPayloads.ALL)), List.of(JSON), body -> {
            String ts = Long.toString(Instant.now().getEpochSecond());
            return Map.of("X-Twilio-Email-Event-Webhook-Signature", ecdsa(ts, body),
                    "X-Twilio-Email-Event-Webhook-Timestamp", ts);
        });
    }

    private FuzzVendor resend() {
        return new Signed("resend", List.of(ResendWebhookTest.SENT), List.of(JSON), body -> {
            String id = "msg_" + UUID.randomUUID();
            String ts = Long.toString(Instant.now().getEpochSecond());
            return Map.of("svix-id", id, "svix-timestamp", ts, "svix-signature", StandardWebhooks.sign(resendSecret, id, ts, body));
        });
    }

    private FuzzVendor mailerSend() {
        String sample = MailerSendHttpTest.event("activity.hard_bounced", "hard_bounced", "m-fuzz", "a-fuzz", 7,
                "{\"object\":\"recipient_bounce\",\"reason\":\"Host or domain name not found\"}");
        return new Signed("mailersend", List.of(sample), List.of(JSON),
                body -> Map.of("Signature", HexFormat.of().formatHex(hmac("HmacSHA256", body))));
    }

    private FuzzVendor mailgun() {
        return new FuzzVendor() {
            public String name() { return "mailgun"; }
            public List<String> samples() { return MailgunPayloads.ALL; }
            public List<String> mediaTypes() { return List.of(JSON); }

            public WireRequest request(byte[] payload, UnaryOperator<byte[]> wire) {
                String ts = Long.toString(Instant.now().getEpochSecond());
                String body = MailgunPayloads.body("\u0000", secret, ts, UUID.randomUUID().toString().replace("-", ""));
                return new WireRequest(JSON, wire.apply(splice(body, payload)), Map.of());
            }

            public WireRequest unsigned(byte[] payload) {
                return new WireRequest(JSON, splice("{\"event-data\":\u0000}", payload), Map.of());
            }
        };
    }

    private FuzzVendor ses() {
        List<String> samples = List.of(resource("delivery"), resource("bounce"), resource("click"), resource("complaint"));
        return new FuzzVendor() {
            public String name() { return "ses"; }
            public List<String> samples() { return samples; }
            public List<String> mediaTypes() { return List.of("text/plain", JSON); }

            public WireRequest request(byte[] payload, UnaryOperator<byte[]> wire) {
                return new WireRequest("text/plain; charset=UTF-8", wire.apply(sns.notification(utf8(payload))), Map.of());
            }

            public WireRequest unsigned(byte[] payload) {
                return new WireRequest("text/plain; charset=UTF-8", sns.unsignedNotification(utf8(payload)), Map.of());
            }
        };
    }

    private FuzzVendor mandrill() {
        return new FuzzVendor() {
            public String name() { return "mandrill"; }
            public List<String> samples() { return List.of(MandrillWebhookTest.EVENTS); }
            public List<String> mediaTypes() { return List.of("application/x-www-form-urlencoded"); }

            public WireRequest request(byte[] payload, UnaryOperator<byte[]> wire) {
                byte[] value = wire.apply(payload);
                String signature = Base64.getEncoder().encodeToString(
                        hmac("HmacSHA1", (MANDRILL_URL + "mandrill_events" + utf8(value)).getBytes(StandardCharsets.UTF_8)));
                return new WireRequest("application/x-www-form-urlencoded", form(value), Map.of("X-Mandrill-Signature", signature));
            }

            public WireRequest unsigned(byte[] payload) {
                return new WireRequest("application/x-www-form-urlencoded", form(payload), Map.of());
            }
        };
    }

    /** A vendor whose signature or credentials travel in headers computed over the exact body. */
    private record Signed(String name, List<String> samples, List<String> mediaTypes,
                          Function<byte[], Map<String, String>> auth) implements FuzzVendor {
        public WireRequest request(byte[] payload, UnaryOperator<byte[]> wire) {
            byte[] body = wire.apply(payload);
            return new WireRequest(mediaTypes.get(0), body, auth.apply(body));
        }

        public WireRequest unsigned(byte[] payload) {
            return new WireRequest(mediaTypes.get(0), payload, Map.of());
        }
    }

    /** The template with its one NUL character replaced by the payload's bytes (which need not be text). */
    private static byte[] splice(String template, byte[] payload) {
        int at = template.indexOf('\u0000');
        byte[] head = template.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = template.substring(at + 1).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        System.arraycopy(tail, 0, out, head.length + payload.length, tail.length);
        return out;
    }

    /** mandrill_events=..., every byte outside unreserved characters percent-encoded (invalid UTF-8 survives as such). */
    private static byte[] form(byte[] value) {
        StringBuilder sb = new StringBuilder("mandrill_events=");
        for (byte b : value) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private byte[] hmac(String algorithm, byte[] data) {
        return Signing.hmac(algorithm, secret.getBytes(StandardCharsets.UTF_8), data);
    }

    private String ecdsa(String timestamp, byte[] body) {
        return Signing.ecdsa(sendGridKey.getPrivate(), timestamp.getBytes(StandardCharsets.UTF_8), body);
    }

    private static String resource(String name) {
        try (InputStream in = FuzzVendors.class.getResourceAsStream("/ses/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
