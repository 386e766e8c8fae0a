package com.emaileventhub.esp.resend;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.emaileventhub.verify.StandardWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /webhooks/resend over real HTTP, signed the Svix way with a fresh whsec_ secret. */
class ResendHttpTest extends VendorHttpTestSupport {
    private static final String EMAIL_ID = "56761188-7520-42d8-8898-ff6fc54ce618";
    private final String secret = freshSecret();

    @Override
    protected String vendor() {
        return "resend";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.resend.secret", secret);
    }

    @Test
    void stores_every_event_type_one_request_each() {
        String[][] events = {
                {"email.sent", ""},
                {"email.delivered", ""},
                {"email.delivery_delayed", ""},
                {"email.complained", ""},
                {"email.bounced", ", \"bounce\": {\"message\": \"Mailbox does not exist\", \"type\": \"Permanent\"}"},
                {"email.opened", ", \"open\": {\"ipAddress\": \"203.0.113.1\", \"userAgent\": \"Mozilla/5.0\"}"},
                {"email.clicked", ", \"click\": {\"link\": \"https://resend.com/a?b=%2F\", \"ipAddress\": \"203.0.113.2\", "
                        + "\"userAgent\": \"Mozilla/5.0 (Macintosh)\", \"timestamp\": \"2024-11-24T05:00:57.163Z\"}"},
                {"email.failed", ", \"failed\": {\"reason\": \"reached_daily_quota\"}"},
                {"email.suppressed", ", \"suppressed\": {\"message\": \"on the suppression list\"}"},
                {"email.scheduled", ""},
        };
        for (int i = 0; i < events.length; i++) {
            String body = ResendWebhookTest.event(events[i][0], "2024-11-22T23:41:1" + i + ".720Z", events[i][1]);
            HttpResponse<String> r = post(body, "msg_" + UUID.randomUUID(), Instant.now(), secret);
            assertThat(r.statusCode()).as(events[i][0] + ": " + r.body()).isEqualTo(200);
        }
        String[] types = {"sent", "delivered", "deferred", "complained", "bounced|hard", "opened", "clicked", "failed",
                "rejected", "unknown"};
        String[] expected = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            String type = types[i].contains("|") ? types[i] : types[i] + "|-";
            expected[i] = type + "|delivered@resend.dev|" + EMAIL_ID + "|2024-11-22T23:41:1" + i + ".720Z";
        }
        assertThat(stored()).containsExactly(expected);
        JsonNode click = storedEvents().get(6);
        assertThat(click.get("url").asText()).isEqualTo("https://resend.com/a?b=%2F");
        assertThat(click.get("ip").asText()).isEqualTo("203.0.113.2");
        assertThat(click.get("esp_event_id").asText()).startsWith("msg_");
        assertThat(click.get("metadata").get("category").asText()).isEqualTo("confirm_email");
    }

    @Test
    void a_retry_with_the_same_svix_id_signed_later_is_stored_once() {
        String body = ResendWebhookTest.event("email.delivered", "2024-11-23T08:00:00.000Z", "");
        String id = "msg_" + UUID.randomUUID();
        assertThat(post(body, id, Instant.now().minusSeconds(60), secret).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(post(body, id, Instant.now(), secret).body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void rejects_a_tampered_body_another_secret_or_a_missing_signature_with_401() {
        String body = ResendWebhookTest.event("email.delivered", "2024-11-23T09:00:00.000Z", "");
        Instant at = Instant.now();
        String id = "msg_" + UUID.randomUUID();
        String signature = StandardWebhooks.sign(secret, id, Long.toString(at.getEpochSecond()), utf8(body));
        HttpResponse<String> tampered = hub.post("/webhooks/resend", "application/json",
                utf8(body.replace("delivered@resend.dev", "attacker@resend.dev")),
                "svix-id", id, "svix-timestamp", Long.toString(at.getEpochSecond()), "svix-signature", signature);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(post(body, id, at, freshSecret()).statusCode()).isEqualTo(401);
        assertThat(hub.post("/webhooks/resend", "application/json", utf8("{oops")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_stale_and_future_timestamps_with_401() {
        String body = ResendWebhookTest.event("email.delivered", "2024-11-23T10:00:00.000Z", "");
        assertThat(post(body, "msg_" + UUID.randomUUID(), Instant.now().minusSeconds(400), secret).statusCode())
                .isEqualTo(401);
        assertThat(post(body, "msg_" + UUID.randomUUID(), Instant.now().plusSeconds(400), secret).statusCode())
                .isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_signed_malformed_bodies_and_415_to_another_content_type() {
        assertThat(post("{oops", "msg_" + UUID.randomUUID(), Instant.now(), secret).statusCode()).isEqualTo(400);
        assertThat(post("{\"data\":{}}", "msg_" + UUID.randomUUID(), Instant.now(), secret).statusCode()).isEqualTo(400);
        String body = ResendWebhookTest.event("email.delivered", "2024-11-23T11:00:00.000Z", "");
        Instant at = Instant.now();
        String id = "msg_" + UUID.randomUUID();
        HttpResponse<String> text = hub.post("/webhooks/resend", "text/plain", utf8(body), "svix-id", id,
                "svix-timestamp", Long.toString(at.getEpochSecond()),
                "svix-signature", StandardWebhooks.sign(secret, id, Long.toString(at.getEpochSecond()), utf8(body)));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private HttpResponse<String> post(String body, String svixId, Instant at, String signingSecret) {
        String ts = Long.toString(at.getEpochSecond());
        return hub.post("/webhooks/resend", "application/json", utf8(body), "svix-id", svixId, "svix-timestamp", ts,
                "svix-signature", "v1,bm90IHRoaXMgb25l " + StandardWebhooks.sign(signingSecret, svixId, ts, utf8(body)));
    }


    private static String freshSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
