package com.emaileventhub.esp.resend;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Signing;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

public class ResendWebhookTest {
    private static final Instant NOW = Requests.NOW;
    private final String secret = freshSecret();

    /** Shaped like resend.com/docs/webhooks/event-types and anymail's live captures. */
    public static final String SENT = """
            {
              "created_at": "2023-09-28T17:19:43.736Z",
              "data": {
                "created_at": "2023-09-28T17:19:43.982Z",
                "email_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                "from": "Sender <from@example.com>",
                "headers": [
                  {"name": "Reply-To", "value": "reply@example.com"},
                  {"name": "X-Tags", "value": "[\\"tag1\\", \\"Tag 2\\"]"},
                  {"name": "X-Metadata", "value": "{\\"cohort\\": \\"2018-08-B\\", \\"user_id\\": 123456}"}
                ],
                "subject": "Sending test",
                "tags": {"category": "confirm_email"},
                "to": ["Recipient <To@Example.org>", "to2@example.org"]
              },
              "type": "email.sent"
            }
            """;

    static String event(String type, String createdAt, String extraData) {
        return """
                {"type": "%s", "created_at": "%s", "data": {"broadcast_id": "8b146471-e88e-4322-86af-016cd36fd216",
                 "created_at": "2024-11-22T23:41:11.894719+00:00", "email_id": "56761188-7520-42d8-8898-ff6fc54ce618",
                 "from": "Acme <onboarding@resend.dev>", "to": ["delivered@resend.dev"],
                 "subject": "Sending this example", "tags": {"category": "confirm_email"}%s}}
                """.formatted(type, createdAt, extraData);
    }

    private static String freshSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** The Svix scheme written out independently of the verifier. */
    private static String sign(String secret, String id, String timestamp, String body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return "v1," + Base64.getEncoder().encodeToString(Signing.hmac("HmacSHA256", key, utf8(id + "." + timestamp + "." + body)));
    }

    private WebhookRequest request(String body, Map<String, String> headers, Map<String, String> settings, Instant at) {
        Map<String, String> h = new HashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return Requests.request("resend", utf8(body), h, settings, at);
    }

    private WebhookRequest signed(String body, String svixId, Instant signedAt) throws Exception {
        String ts = Long.toString(signedAt.getEpochSecond());
        return request(body, Map.of("svix-id", svixId, "svix-timestamp", ts,
                "svix-signature", sign(secret, svixId, ts, body)), Map.of("secret", secret), NOW);
    }

    private List<CanonicalEvent> accept(WebhookRequest r) {
        new ResendVerifier().verify(r);
        return new ResendNormalizer().normalize(r);
    }

    private List<CanonicalEvent> accept(String body) throws Exception {
        return accept(signed(body, "msg_" + Long.toHexString(body.hashCode()), NOW));
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void verifies_the_svix_documentation_vector() {
        String body = "{\"test\": 2432232314}";
        WebhookRequest r = request(body, Map.of("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "svix-timestamp", "1614265330", "svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                Map.of("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Instant.ofEpochSecond(1614265330));

        new ResendVerifier().verify(r);
    }

    @Test
    void reads_a_sent_event_with_event_time_message_id_svix_id_first_recipient_tags_and_metadata() throws Exception {
        CanonicalEvent e = accept(signed(SENT, "msg_2W2D3qXLS5fOaPja1GDg7rF2CwB", NOW)).get(0);

        assertThat(e.type()).isEqualTo(EventType.SENT);
        assertThat(e.occurredAt()).as("top-level created_at").isEqualTo(Instant.parse("2023-09-28T17:19:43.736Z"));
        assertThat(e.messageId()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThat(e.espEventId()).isEqualTo("msg_2W2D3qXLS5fOaPja1GDg7rF2CwB");
        assertThat(e.recipient()).isEqualTo("to@example.org");
        assertThat(e.tags()).containsExactly("tag1", "Tag 2");
        assertThat(e.metadata()).containsOnly(Map.entry("category", "confirm_email"),
                Map.entry("cohort", "2018-08-B"), Map.entry("user_id", "123456"));
    }

    @Test
    void maps_every_email_event_type() throws Exception {
        Map<String, EventType> expected = Map.of(
                "email.sent", EventType.SENT, "email.delivered", EventType.DELIVERED,
                "email.delivery_delayed", EventType.DEFERRED, "email.complained", EventType.COMPLAINED,
                "email.bounced", EventType.BOUNCED, "email.opened", EventType.OPENED,
                "email.clicked", EventType.CLICKED, "email.failed", EventType.FAILED,
                "email.suppressed", EventType.REJECTED, "email.scheduled", EventType.UNKNOWN);

        for (var entry : expected.entrySet()) {
            List<CanonicalEvent> events = accept(event(entry.getKey(), "2024-11-22T23:41:12.126Z", ""));
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.type()).as(entry.getKey()).isEqualTo(entry.getValue());
                assertThat(e.recipient()).isEqualTo("delivered@resend.dev");
                assertThat(e.messageId()).isEqualTo("56761188-7520-42d8-8898-ff6fc54ce618");
                assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-11-22T23:41:12.126Z"));
            });
        }
    }

    @Test
    void reads_a_click_with_link_user_agent_and_ip() throws Exception {
        CanonicalEvent click = accept(event("email.clicked", "2024-11-22T23:41:12.126Z", """
                , "click": {"ipAddress": "122.115.53.11", "link": "https://resend.com/a?b=c%20d",
                  "timestamp": "2024-11-24T05:00:57.163Z",
                  "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"}""")).get(0);

        assertThat(click.url()).isEqualTo("https://resend.com/a?b=c%20d");
        assertThat(click.ip()).isEqualTo("122.115.53.11");
        assertThat(click.userAgent()).startsWith("Mozilla/5.0 (Macintosh;");
    }

    @Test
    void treats_a_bounce_as_hard_unless_the_payload_says_transient() throws Exception {
        CanonicalEvent permanent = accept(event("email.bounced", "2024-11-22T23:41:12.126Z", """
                , "bounce": {"message": "The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.",
                  "subType": "Suppressed", "type": "Permanent"}""")).get(0);
        CanonicalEvent bare = accept(event("email.bounced", "2024-11-22T23:41:13.126Z", """
                , "bounce": {"message": "The recipient's email provider sent a hard bounce message."}""")).get(0);
        CanonicalEvent transientBounce = accept(event("email.bounced", "2024-11-22T23:41:14.126Z", """
                , "bounce": {"message": "Mailbox full", "subType": "MailboxFull", "type": "Transient"}""")).get(0);

        assertThat(permanent.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(permanent.reason()).startsWith("The recipient's email address is on the suppression list");
        assertThat(bare.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(transientBounce.bounceType()).isEqualTo(BounceType.SOFT);
    }

    @Test
    void reads_the_failure_reason_of_a_failed_email() throws Exception {
        CanonicalEvent failed = accept(event("email.failed", "2024-11-22T23:41:12.126Z",
                ", \"failed\": {\"reason\": \"reached_daily_quota\"}")).get(0);

        assertThat(failed.reason()).isEqualTo("reached_daily_quota");
    }

    @Test
    void keeps_contact_and_domain_events_as_unknown() throws Exception {
        CanonicalEvent contact = accept("""
                {"type": "contact.updated", "created_at": "2024-11-17T19:32:22.980Z",
                 "data": {"id": "e169aa45-1ecf-4183-9955-b1499d5701d3", "audience_id": "78261eea-8f8b-4381-83c6-79fa7120f1cf",
                  "created_at": "2024-11-17T19:32:22.980Z", "updated_at": "2024-11-17T19:32:22.980Z",
                  "email": "Steve.Wozniak@gmail.com", "first_name": "Steve", "last_name": "Wozniak", "unsubscribed": true}}
                """).get(0);

        assertThat(contact.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(contact.recipient()).isEqualTo("steve.wozniak@gmail.com");
        assertThat(contact.messageId()).isNull();
    }

    @Test
    void gives_the_same_id_on_a_retry_signed_later_with_the_same_svix_id() throws Exception {
        CanonicalEvent first = accept(signed(SENT, "msg_retry", NOW.minusSeconds(30))).get(0);
        CanonicalEvent retry = accept(signed(SENT, "msg_retry", NOW)).get(0);
        CanonicalEvent other = accept(signed(SENT, "msg_other", NOW)).get(0);

        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void accepts_any_v1_entry_of_the_signature_list_and_rotated_secrets() throws Exception {
        String old = freshSecret();
        String ts = Long.toString(NOW.getEpochSecond());
        String list = "v1a,c29tZXRoaW5nIGVsc2U= v1," + Base64.getEncoder().encodeToString(new byte[32]) + " "
                + sign(old, "msg_1", ts, SENT);
        WebhookRequest r = request(SENT, Map.of("svix-id", "msg_1", "svix-timestamp", ts, "svix-signature", list),
                Map.of("secret", secret + "," + old), NOW);

        assertThat(accept(r)).hasSize(1);
    }

    @Test
    void accepts_the_unbranded_standard_webhooks_headers() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        WebhookRequest r = request(SENT, Map.of("webhook-id", "msg_std", "webhook-timestamp", ts,
                "webhook-signature", sign(secret, "msg_std", ts, SENT)), Map.of("secret", secret), NOW);

        assertThat(accept(r)).singleElement().satisfies(e -> assertThat(e.espEventId()).isEqualTo("msg_std"));
    }

    @Test
    void rejects_a_tampered_body_with_401() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        String signature = sign(secret, "msg_1", ts, SENT);
        WebhookRequest r = request(SENT.replace("email.sent", "email.bounced"),
                Map.of("svix-id", "msg_1", "svix-timestamp", ts, "svix-signature", signature), Map.of("secret", secret), NOW);

        assertStatus(() -> new ResendVerifier().verify(r), 401);
    }

    @Test
    void rejects_a_signature_made_with_another_secret_or_for_another_id_with_401() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        WebhookRequest wrongSecret = request(SENT, Map.of("svix-id", "msg_1", "svix-timestamp", ts,
                "svix-signature", sign(freshSecret(), "msg_1", ts, SENT)), Map.of("secret", secret), NOW);
        WebhookRequest wrongId = request(SENT, Map.of("svix-id", "msg_2", "svix-timestamp", ts,
                "svix-signature", sign(secret, "msg_1", ts, SENT)), Map.of("secret", secret), NOW);

        assertStatus(() -> new ResendVerifier().verify(wrongSecret), 401);
        assertStatus(() -> new ResendVerifier().verify(wrongId), 401);
    }

    @Test
    void rejects_missing_signature_headers_with_401_even_when_the_body_is_malformed() {
        WebhookRequest r = request("{not json", Map.of("svix-id", "msg_1",
                "svix-timestamp", Long.toString(NOW.getEpochSecond())), Map.of("secret", secret), NOW);

        assertStatus(() -> new ResendVerifier().verify(r), 401);
    }

    @Test
    void rejects_stale_and_future_timestamps_with_401() throws Exception {
        WebhookRequest stale = signed(SENT, "msg_1", NOW.minus(Duration.ofMinutes(5)).minusSeconds(1));
        WebhookRequest future = signed(SENT, "msg_1", NOW.plus(Duration.ofMinutes(5)).plusSeconds(1));

        assertThatThrownBy(() -> new ResendVerifier().verify(stale)).isInstanceOfSatisfying(WebhookRejection.class,
                e -> assertThat(e.reason().label()).isEqualTo("stale_timestamp"));
        assertThatThrownBy(() -> new ResendVerifier().verify(future)).isInstanceOfSatisfying(WebhookRejection.class,
                e -> assertThat(e.reason().label()).isEqualTo("future_timestamp"));
        new ResendVerifier().verify(signed(SENT, "msg_1", NOW.minus(Duration.ofMinutes(5)).plusSeconds(1)));
    }

    @Test
    void honours_a_configured_tolerance() throws Exception {
        String ts = Long.toString(NOW.minus(Duration.ofMinutes(20)).getEpochSecond());
        WebhookRequest r = request(SENT, Map.of("svix-id", "msg_1", "svix-timestamp", ts,
                "svix-signature", sign(secret, "msg_1", ts, SENT)), Map.of("secret", secret, "tolerance", "PT30M"), NOW);

        new ResendVerifier().verify(r);
    }

    @Test
    void fails_closed_with_401_when_no_secret_is_configured() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        WebhookRequest r = request(SENT, Map.of("svix-id", "msg_1", "svix-timestamp", ts,
                "svix-signature", sign(secret, "msg_1", ts, SENT)), Map.of(), NOW);

        assertThatThrownBy(() -> new ResendVerifier().verify(r)).isInstanceOfSatisfying(WebhookRejection.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason().label()).isEqualTo("not_configured");
        });
    }

    @Test
    void rejects_authentic_bodies_without_resends_shape_with_400() throws Exception {
        for (String body : List.of("{\"created_at\": \"x\", \"data\": {}", "[]", "{\"created_at\": \"2024-01-01T00:00:00Z\"}",
                "{\"type\": \"email.sent\", \"data\": [1]}", "")) {
            WebhookRequest r = signed(body, "msg_1", NOW);
            new ResendVerifier().verify(r);
            assertStatus(() -> new ResendNormalizer().normalize(r), 400);
        }
    }

    @Test
    void rejects_a_wrong_content_type_with_415() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        WebhookRequest r = request(SENT, Map.of("Content-Type", "text/plain", "svix-id", "msg_1", "svix-timestamp", ts,
                "svix-signature", sign(secret, "msg_1", ts, SENT)), Map.of("secret", secret), NOW);

        new ResendVerifier().verify(r);
        assertStatus(() -> new ResendNormalizer().normalize(r), 415);
    }
}
