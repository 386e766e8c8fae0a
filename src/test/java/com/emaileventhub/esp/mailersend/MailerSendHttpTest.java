package com.emaileventhub.esp.mailersend;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Signing;
import com.emaileventhub.support.StoredEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * POST /webhooks/mailersend over real HTTP: a vendor declared in YAML alone (routes/webhooks/mailersend.camel.yaml),
 * signed in the test with a fresh secret the way MailerSend signs (hex HMAC-SHA256 of the raw body, header Signature).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class MailerSendHttpTest {
    private final String secret = fresh();
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of("hub.esp.mailersend.secret", "old-secret-being-rotated-out," + secret));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void stores_every_activity_type_with_its_fields() {
        String m = unique();
        String[][] cases = {
                {"activity.sent", "sent", "null"},
                {"activity.delivered", "delivered", "null"},
                {"activity.soft_bounced", "soft_bounced", "{\"object\":\"soft_bounce\",\"reason\":\"Mailbox full\"}"},
                {"activity.hard_bounced", "hard_bounced", "{\"object\":\"hard_bounce\",\"reason\":\"No such user\"}"},
                {"activity.opened", "opened", "{\"object\":\"open\",\"ip\":\"203.0.113.7\"}"},
                {"activity.opened_unique", "opened_unique", "{\"object\":\"open\",\"ip\":\"203.0.113.7\"}"},
                {"activity.clicked", "clicked", "{\"object\":\"click\",\"ip\":\"203.0.113.8\",\"url\":\"https://example.com/a?b=%2F&c=d\"}"},
                {"activity.clicked_unique", "clicked_unique", "{\"object\":\"click\",\"url\":\"https://example.com/u\"}"},
                {"activity.unsubscribed", "unsubscribed", "{\"object\":\"recipient_unsubscribe\",\"reason\":\"NO_LONGER_WANTED\"}"},
                {"activity.spam_complaint", "spam_complaint", "{\"object\":\"spam_complaint\"}"},
                {"activity.survey_opened", "survey_opened", "null"},
        };
        for (int i = 0; i < cases.length; i++) {
            HttpResponse<String> r = post(event(cases[i][0], cases[i][1], m, "act-" + m + "-" + i, i, cases[i][2]), secret);
            assertThat(r.statusCode()).as(cases[i][0] + ": " + r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        }
        assertThat(StoredEvents.summaries(hub.dataSource(), "message_id = ?", m)).containsExactly(
                "sent|-|jane@example.com|" + m + "|2025-01-02T10:00:00.000Z",
                "delivered|-|jane@example.com|" + m + "|2025-01-02T10:00:01.000Z",
                "bounced|soft|jane@example.com|" + m + "|2025-01-02T10:00:02.000Z",
                "bounced|hard|jane@example.com|" + m + "|2025-01-02T10:00:03.000Z",
                "opened|-|jane@example.com|" + m + "|2025-01-02T10:00:04.000Z",
                "opened|-|jane@example.com|" + m + "|2025-01-02T10:00:05.000Z",
                "clicked|-|jane@example.com|" + m + "|2025-01-02T10:00:06.000Z",
                "clicked|-|jane@example.com|" + m + "|2025-01-02T10:00:07.000Z",
                "unsubscribed|-|jane@example.com|" + m + "|2025-01-02T10:00:08.000Z",
                "complained|-|jane@example.com|" + m + "|2025-01-02T10:00:09.000Z",
                "unknown|-|jane@example.com|" + m + "|2025-01-02T10:00:10.000Z");
        List<JsonNode> stored = StoredEvents.events(hub.dataSource(), "message_id = ?", m);
        JsonNode click = stored.get(6);
        assertThat(click.get("esp").asText()).isEqualTo("mailersend");
        assertThat(click.get("url").asText()).isEqualTo("https://example.com/a?b=%2F&c=d");
        assertThat(click.get("ip").asText()).isEqualTo("203.0.113.8");
        assertThat(click.get("esp_event_id").asText()).isEqualTo("act-" + m + "-6");
        assertThat(click.get("tags")).hasSize(2);
        assertThat(click.get("tags").get(0).asText()).isEqualTo("welcome");
        assertThat(stored.get(2).get("reason").asText()).isEqualTo("Mailbox full");
        assertThat(click.get("raw").get("data").get("id").asText()).isEqualTo("act-" + m + "-6");
    }

    @Test
    void a_retried_webhook_is_stored_once() {
        String m = unique();
        String body = event("activity.delivered", "delivered", m, "act-" + m, 1, "null");
        assertThat(post(body, secret).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(post(body, secret).body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(StoredEvents.count(hub.dataSource(), "message_id = ?", m)).isEqualTo(1);
    }

    @Test
    void rejects_a_tampered_body_with_401_and_stores_nothing() {
        String m = unique();
        String body = event("activity.delivered", "delivered", m, "act-" + m, 1, "null");
        HttpResponse<String> r = hub.post("/webhooks/mailersend", "application/json",
                body.replace("Jane@", "Mallory@").getBytes(StandardCharsets.UTF_8), "Signature", sign(body, secret));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(StoredEvents.count(hub.dataSource(), "message_id = ?", m)).isZero();
    }

    @Test
    void rejects_a_signature_made_with_another_secret_with_401() {
        String m = unique();
        assertThat(post(event("activity.sent", "sent", m, "a", 1, "null"), fresh()).statusCode()).isEqualTo(401);
        assertThat(StoredEvents.count(hub.dataSource(), "message_id = ?", m)).isZero();
    }

    @Test
    void rejects_a_missing_signature_with_401_even_when_the_body_is_malformed() {
        assertThat(hub.post("/webhooks/mailersend", "application/json", utf8("{not json")).statusCode()).isEqualTo(401);
    }

    @Test
    void answers_400_to_a_signed_malformed_body_and_415_to_a_wrong_content_type() {
        assertThat(post("{not json", secret).statusCode()).isEqualTo(400);
        String m = unique();
        String body = event("activity.sent", "sent", m, "a", 1, "null");
        HttpResponse<String> r = hub.post("/webhooks/mailersend", "text/plain", utf8(body), "Signature", sign(body, secret));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(StoredEvents.count(hub.dataSource(), "message_id = ?", m)).isZero();
    }

    private HttpResponse<String> post(String body, String key) {
        return hub.post("/webhooks/mailersend", "application/json", utf8(body), "Signature", sign(body, key));
    }

    /** Shaped like the activity.sent example of developers.mailersend.com/api/v1/webhooks. */
    public static String event(String type, String activityType, String messageId, String activityId, int second, String morph) {
        return """
                {"type":"%s","domain_id":"yv69oxl5kl785kw2","created_at":"2025-01-02T10:05:00.000000Z",
                 "webhook_id":"2351ndgwr4zqx8ko","url":"https://hub.example.com/webhooks/mailersend",
                 "data":{"object":"activity","id":"%s","type":"%s","created_at":"2025-01-02T10:00:%02d.000000Z",
                  "email":{"object":"email","id":"5fc0d003e7a5e7035446aa32","created_at":"2025-01-02T09:59:00.000000Z",
                   "from":"test@mailersend.com","subject":"Test email","status":"sent","tags":["welcome","onboarding"],
                   "message":{"object":"message","id":"%s","created_at":"2025-01-02T09:59:00.000000Z"},
                   "recipient":{"object":"recipient","id":"5fc0d003f2b3c2a1","email":"Jane@Example.com",
                    "created_at":"2025-01-02T09:59:00.000000Z"}},
                  "morph":%s,"template_id":"7nxe3yjmxpx2p0wr"}}
                """.formatted(type, activityId, activityType, second, messageId, morph);
    }

    public static String sign(String body, String key) {
        return HexFormat.of().formatHex(Signing.hmac("HmacSHA256", utf8(key), utf8(body)));
    }


    private static String fresh() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String unique() {
        return "ms-" + UUID.randomUUID();
    }
}
