package com.emaileventhub.esp.brevo;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class BrevoWebhookTest {
    private final String username = "brevo-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();
    private final String token = UUID.randomUUID().toString();

    /** Shaped like developers.brevo.com "transactional webhooks" samples and anymail's live captures. */
    public static final String REQUEST_EVENT = """
            {"event": "request", "email": "Recipient@Example.com", "id": 9999999,
             "message-id": "<201803062010.27287306012@smtp-relay.mailin.fr>", "subject": "Test subject",
             "date": "2018-03-06 11:10:23", "ts": 1520331023, "ts_event": 1520331023, "ts_epoch": 1520363423123,
             "X-Mailin-custom": "{\\"meta\\": \\"data\\", \\"user_id\\": 42}",
             "tag": "[\\"tag1\\",\\"tag2\\"]", "tags": ["tag1", "tag2"], "template_id": 12, "sending_ip": "185.41.28.109"}
            """;

    public static final String BATCH = """
            [
             {"event": "delivered", "email": "recipient@example.com", "id": 1, "date": "2020-10-09 00:00:00",
              "ts": 1604937111, "message-id": "<201798300811.5787683@relay.domain.com>", "ts_event": 1604937111,
              "subject": "My first Transactional", "X-Mailin-custom": "some_custom_header", "sending_ip": "10.1.2.3",
              "template_id": 22, "tags": ["transac_messages"], "ts_epoch": 1604937111000},
             {"event": "hard_bounce", "email": "not-a-user@example.com", "ts_epoch": 1520363423000,
              "message-id": "<201803011158.9876543210@smtp-relay.mailin.fr>",
              "reason": " RecipientError: 550 5.5.0 Requested action not taken: mailbox unavailable.", "tag": "header-tag"},
             {"event": "soft_bounce", "email": "recipient@no-mx.example.com", "ts_epoch": 1520363424000,
              "message-id": "<201803011158.9876543210@smtp-relay.mailin.fr>",
              "reason": "undefined Unable to find MX of domain no-mx.example.com"},
             {"event": "invalid_email", "email": "nobody@invalid", "ts_epoch": 1520363425000,
              "message-id": "<1@smtp-relay.mailin.fr>"},
             {"event": "blocked", "email": "recipient@example.com", "ts_epoch": 1520363426000,
              "message-id": "<2@smtp-relay.mailin.fr>", "reason": "blocked : due to blacklist user"},
             {"event": "error", "email": "example@domain.com", "id": "xxxxx", "date": "2020-10-09 00:00:00",
              "ts": 1604933619, "message-id": "201798300811.5787683@relay.domain.com", "ts_event": 1604933654,
              "subject": "My first Transactional", "template_id": 22, "tags": ["transac_messages"], "ts_epoch": 1604933623},
             {"event": "deferred", "email": "notauser@example.com", "ts_epoch": 1520363427000,
              "message-id": "<3@smtp-relay.mailin.fr>",
              "reason": "550 RecipientError: 550 5.1.1 <notauser@example.com>: Recipient address rejected"},
             {"event": "opened", "email": "recipient@example.com", "ts_epoch": 1520363428000,
              "message-id": "<4@smtp-relay.mailin.fr>", "user_agent": "Mozilla/5.0", "ip": "203.0.113.9"},
             {"event": "unique_opened", "email": "recipient@example.com", "ts_epoch": 1520363429000,
              "message-id": "<4@smtp-relay.mailin.fr>"},
             {"event": "proxy_open", "email": "example@domain.com", "id": 1, "date": "2020-10-09 00:00:00",
              "message-id": "201798300811.5787683@relay.domain.com", "subject": "My first Transactional",
              "tag": ["transactionalTag"], "sending_ip": "10.1.2.3", "s_epoch": 1534486682000, "template_id": 1},
             {"event": "unique_proxy_open", "email": "example@domain.com", "ts_epoch": 1534486683000,
              "message-id": "<5@smtp-relay.mailin.fr>"},
             {"event": "click", "email": "example@domain.com", "id": 1, "date": "2020-10-09 00:00:00", "ts": 1604933619,
              "message-id": "201798300811.5787683@relay.domain.com", "ts_event": 1604933654,
              "subject": "My first Transactional", "tag": "[\\"transactionalTag\\"]", "sending_ip": "10.1.2.3",
              "ts_epoch": 1604933654, "template_id": 22, "link": "https://www.example.com/path?q=a%20b"},
             {"event": "spam", "email": "recipient@example.com", "ts_epoch": 1520363430000,
              "message-id": "<6@smtp-relay.mailin.fr>"},
             {"event": "complaint", "email": "example@domain.com", "id": "xxxxx", "date": "2020-10-09 00:00:00",
              "ts": 1604933619, "message-id": "201798300811.5787683@relay.domain.com", "ts_event": 1604933654,
              "X-Mailin-custom": "{\\"meta\\": \\"data\\"}", "tags": ["transac_messages"]},
             {"event": "unsubscribed", "email": "recipient@example.com", "ts_epoch": 1520363431000,
              "message-id": "<7@smtp-relay.mailin.fr>"},
             {"event": "list_addition", "email": "recipient@example.com", "ts_epoch": 1520363432000},
             {"event": "contact_updated", "email": "recipient@example.com", "ts_epoch": 1520363433000}
            ]
            """;

    private WebhookRequest request(String body, Map<String, String> headers, Map<String, String> settings) {
        return Requests.request("brevo", utf8(body), headers, settings);
    }

    private List<CanonicalEvent> accept(String body) {
        WebhookRequest r = request(body, Map.of("Authorization", basic(username, password),
                "Content-Type", "application/json; charset=utf-8"), Map.of("username", username, "password", password));
        new BrevoVerifier().verify(r);
        return new BrevoNormalizer().normalize(r);
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void proxy_opens_are_machine_made_and_other_opens_are_not() {
        List<CanonicalEvent> opens = accept(BATCH).stream().filter(e -> e.type() == EventType.OPENED).toList();
        assertThat(opens).extracting(CanonicalEvent::machineReason)
                .containsExactly(null, null, "brevo:proxy_open", "brevo:unique_proxy_open");
        assertThat(opens).extracting(CanonicalEvent::machine).containsExactly(false, false, true, true);
    }


    @Test
    void reads_a_single_event_object_with_its_utc_time_tags_and_custom_header() {
        List<CanonicalEvent> events = accept(REQUEST_EVENT);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.QUEUED);
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2018-03-06T19:10:23.123Z"));
            assertThat(e.messageId()).isEqualTo("<201803062010.27287306012@smtp-relay.mailin.fr>");
            assertThat(e.espEventId()).isNull();
            assertThat(e.recipient()).isEqualTo("recipient@example.com");
            assertThat(e.tags()).containsExactly("tag1", "tag2");
            assertThat(e.metadata()).containsOnly(Map.entry("meta", "data"), Map.entry("user_id", "42"));
            assertThat(e.raw().get("id").asInt()).isEqualTo(9999999);
        });
    }

    @Test
    void maps_every_event_type_of_a_batch_in_payload_order() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.DELIVERED, EventType.BOUNCED, EventType.BOUNCED, EventType.BOUNCED, EventType.REJECTED,
                EventType.FAILED, EventType.DEFERRED, EventType.OPENED, EventType.OPENED, EventType.OPENED,
                EventType.OPENED, EventType.CLICKED, EventType.COMPLAINED, EventType.COMPLAINED,
                EventType.UNSUBSCRIBED, EventType.SUBSCRIBED, EventType.UNKNOWN);
        assertThat(events).extracting(CanonicalEvent::bounceType).containsExactly(
                null, BounceType.HARD, BounceType.SOFT, BounceType.HARD, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        assertThat(events).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void reads_reasons_links_and_client_details() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events.get(1).reason()).isEqualTo("RecipientError: 550 5.5.0 Requested action not taken: mailbox unavailable.");
        assertThat(events.get(4).reason()).isEqualTo("blocked : due to blacklist user");
        assertThat(events.get(7).userAgent()).isEqualTo("Mozilla/5.0");
        assertThat(events.get(7).ip()).isEqualTo("203.0.113.9");
        assertThat(events.get(11).url()).isEqualTo("https://www.example.com/path?q=a%20b");
    }

    @Test
    void reads_tags_from_tags_or_from_the_tag_string_or_array() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events.get(0).tags()).containsExactly("transac_messages");
        assertThat(events.get(1).tags()).containsExactly("header-tag");
        assertThat(events.get(9).tags()).containsExactly("transactionalTag");
        assertThat(events.get(11).tags()).containsExactly("transactionalTag");
        assertThat(events.get(2).tags()).isEmpty();
    }

    @Test
    void keeps_only_a_json_custom_header_as_metadata() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events.get(0).metadata()).isEmpty();
        assertThat(events.get(13).metadata()).containsOnly(Map.entry("meta", "data"));
    }

    @Test
    void takes_seconds_sized_ts_epoch_as_seconds_and_falls_back_to_ts_event() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events.get(0).occurredAt()).isEqualTo(Instant.ofEpochSecond(1604937111));
        assertThat(events.get(5).occurredAt()).isEqualTo(Instant.ofEpochSecond(1604933623));
        assertThat(events.get(13).occurredAt()).as("no ts_epoch: ts_event").isEqualTo(Instant.ofEpochSecond(1604933654));
        assertThat(events.get(9).occurredAt()).as("no time at all: received_at")
                .isEqualTo(Requests.NOW.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void gives_no_events_for_an_empty_batch_or_an_empty_object_and_400_for_an_empty_body() {
        assertThat(accept("[]")).isEmpty();
        assertThat(accept("{}")).isEmpty();
        assertThatThrownBy(() -> accept("")).isInstanceOfSatisfying(WebhookRejection.class,
                r -> assertThat(r.getMessage()).isEqualTo("body is empty; expected JSON"));
    }

    @Test
    void gives_the_same_ids_when_the_same_batch_is_posted_twice() {
        List<String> first = accept(BATCH).stream().map(CanonicalEvent::id).toList();

        assertThat(accept(BATCH).stream().map(CanonicalEvent::id).toList()).isEqualTo(first);
    }

    @Test
    void accepts_the_bearer_token_when_one_is_configured() {
        WebhookRequest r = request(REQUEST_EVENT, Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/json"), Map.of("token", token));

        new BrevoVerifier().verify(r);
        assertThat(new BrevoNormalizer().normalize(r)).hasSize(1);
    }

    @Test
    void accepts_either_scheme_when_both_are_configured() {
        Map<String, String> both = Map.of("username", username, "password", password, "token", token);

        new BrevoVerifier().verify(request(REQUEST_EVENT, Map.of("Authorization", "Bearer " + token), both));
        new BrevoVerifier().verify(request(REQUEST_EVENT, Map.of("Authorization", basic(username, password)), both));
        assertStatus(() -> new BrevoVerifier().verify(
                request(REQUEST_EVENT, Map.of("Authorization", "Bearer " + password), both)), 401);
        assertStatus(() -> new BrevoVerifier().verify(
                request(REQUEST_EVENT, Map.of("Authorization", basic(username, token)), both)), 401);
    }

    @Test
    void rejects_wrong_bearer_token_and_basic_auth_that_is_not_configured_with_401() {
        Map<String, String> tokenOnly = Map.of("token", token);

        assertStatus(() -> new BrevoVerifier().verify(
                request(REQUEST_EVENT, Map.of("Authorization", "Bearer " + UUID.randomUUID()), tokenOnly)), 401);
        assertStatus(() -> new BrevoVerifier().verify(
                request(REQUEST_EVENT, Map.of("Authorization", basic(username, password)), tokenOnly)), 401);
    }

    @Test
    void rejects_wrong_or_missing_basic_credentials_with_401_even_when_the_body_is_malformed() {
        Map<String, String> basicOnly = Map.of("username", username, "password", password);

        assertStatus(() -> new BrevoVerifier().verify(
                request("{oops", Map.of("Authorization", basic(username, "nope")), basicOnly)), 401);
        assertStatus(() -> new BrevoVerifier().verify(request("{oops", Map.of(), basicOnly)), 401);
    }

    @Test
    void fails_closed_with_401_when_nothing_is_configured() {
        assertThatThrownBy(() -> new BrevoVerifier().verify(
                request(REQUEST_EVENT, Map.of("Authorization", "Bearer " + token), Map.of("username", username))))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.reason().label()).isEqualTo("not_configured");
                });
    }

    @Test
    void rejects_malformed_json_or_a_scalar_body_with_400() {
        assertStatus(() -> accept("{\"event\": "), 400);
        assertStatus(() -> accept("\"delivered\""), 400);
    }

    @Test
    void rejects_a_wrong_content_type_with_415() {
        WebhookRequest r = request(REQUEST_EVENT, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                Map.of("token", token));

        assertStatus(() -> new BrevoNormalizer().normalize(r), 415);
    }
}
