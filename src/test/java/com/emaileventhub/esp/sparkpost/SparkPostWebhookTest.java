package com.emaileventhub.esp.sparkpost;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class SparkPostWebhookTest {
    private final String username = "sp-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();
    private final Map<String, String> settings = Map.of("username", username, "password", password);

    /** Shaped like SparkPost's samples.json: full message_event fields, the cust block real batches carry. */
    public static final String BATCH = """
            [
              {"msys": {"message_event": {
                "type": "injection", "campaign_id": "Example Campaign Name", "customer_id": "1",
                "event_id": "92356927693813856", "friendly_from": "sender@example.com", "ip_pool": "Example-Ip-Pool",
                "message_id": "000443ee14578172be22", "msg_from": "sender@example.com", "msg_size": "1337",
                "rcpt_meta": {"customKey": "customValue", "order": 42, "nested": {"a": 1}},
                "rcpt_tags": ["male", "US"], "rcpt_to": "recipient@example.com", "raw_rcpt_to": "Recipient@Example.com",
                "rcpt_type": "cc", "routing_domain": "example.com", "sending_ip": "127.0.0.1",
                "subaccount_id": "101", "subject": "Summer deals are here!", "template_id": "templ-1234",
                "template_version": "1", "timestamp": "1454442600", "transmission_id": "65832150921904138"}},
               "cust": {"id": "1"}},
              {"msys": {"message_event": {
                "type": "delivery", "event_id": "92356927693813857", "ip_address": "127.0.0.1",
                "message_id": "000443ee14578172be22", "queue_time": "12", "raw_rcpt_to": "recipient@example.com",
                "rcpt_to": "recipient@example.com", "rcpt_meta": {}, "rcpt_tags": [], "timestamp": "1454442610",
                "transmission_id": "65832150921904138"}}},
              {"msys": {"message_event": {
                "type": "bounce", "bounce_class": "10", "customer_id": "00000", "error_code": "550",
                "event_id": "84345317653491230", "message_id": "0004e3724f57753a3561",
                "raw_rcpt_to": "bounce@example.com",
                "raw_reason": "550 5.1.1 <bounce@example.com>: Recipient address rejected: User unknown",
                "rcpt_to": "bounce@example.com", "reason": "550 5.1.1 ...@... Recipient address rejected: ...",
                "timestamp": "1464824548", "transmission_id": "84345317650824116"}},
               "cust": {"id": "00000"}},
              {"msys": {"message_event": {
                "type": "bounce", "bounce_class": "22", "error_code": "552", "event_id": "84345317653491231",
                "raw_reason": "552 5.2.2 Mailbox full", "reason": "552 5.2.2 Mailbox full",
                "rcpt_to": "full@example.com", "timestamp": "1464824549", "transmission_id": "84345317650824116"}}},
              {"msys": {"message_event": {
                "type": "bounce", "bounce_class": "60", "event_id": "84345317653491232",
                "raw_reason": "550 I am on vacation", "rcpt_to": "vacationing@example.com",
                "timestamp": "1464824550", "transmission_id": "84345317650824116"}}},
              {"msys": {"message_event": {
                "type": "out_of_band", "bounce_class": "30", "event_id": "92356927693813858",
                "raw_reason": "550 5.0.0 <recipient@example.com>... User unknown", "rcpt_to": "oob@example.com",
                "timestamp": "1454442620", "transmission_id": "65832150921904138"}}},
              {"msys": {"message_event": {
                "type": "delay", "bounce_class": "21", "error_code": "454", "event_id": "84345317653675522",
                "message_id": "0004e3724f57753a3861", "num_retries": "1", "queue_time": "1200161",
                "raw_rcpt_to": "recipient@nomx.example.com", "raw_reason": "454 4.4.4 [internal] no MX or A for domain",
                "rcpt_to": "recipient@nomx.example.com", "reason": "454 4.4.4 [internal] no MX or A for domain",
                "timestamp": "1464825748", "transmission_id": "84345317650824116"}}},
              {"msys": {"message_event": {
                "type": "policy_rejection", "bounce_class": "25", "error_code": "554", "event_id": "92356927693813859",
                "raw_reason": "550 5.7.1 [internal] Forbidden", "reason": "550 5.7.1 [internal] Forbidden",
                "rcpt_to": "policy@example.com", "remote_addr": "127.0.0.1", "timestamp": "1454442630",
                "transmission_id": "65832150921904138"}}},
              {"msys": {"gen_event": {
                "type": "generation_rejection", "error_code": "554", "event_id": "102360394390563734",
                "raw_reason": "554 5.7.1 recipient address suppressed due to customer policy",
                "rcpt_to": "suppressed@example.com",
                "reason": "554 5.7.1 recipient address suppressed due to customer policy",
                "timestamp": "1464900034", "transmission_id": "102360394387646691"}}},
              {"msys": {"gen_event": {
                "type": "generation_failure", "error_code": "554", "event_id": "139013368081587254",
                "raw_reason": "554 5.3.3 [internal] Error while rendering part html: ...",
                "rcpt_subs": {"name": "Alice"}, "rcpt_to": "recipient@example.com",
                "reason": "554 5.3.3 [internal] Error while rendering part html: ...",
                "timestamp": "2018-10-11T23:24:45.000+00:00", "transmission_id": "139013368081177607"}}},
              {"msys": {"track_event": {
                "type": "open", "event_id": "92356927693813860", "geo_ip": {"country": "US", "city": "Columbia"},
                "ip_address": "198.51.100.7", "rcpt_to": "recipient@example.com", "timestamp": "1454442640",
                "transmission_id": "65832150921904138",
                "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_3) AppleWebKit/537.36"}}},
              {"msys": {"track_event": {
                "type": "initial_open", "event_id": "92356927693813861", "rcpt_to": "recipient@example.com",
                "timestamp": "1454442641", "transmission_id": "65832150921904138"}}},
              {"msys": {"track_event": {
                "type": "amp_open", "event_id": "92356927693813862", "rcpt_to": "recipient@example.com",
                "timestamp": "1454442642", "transmission_id": "65832150921904138"}}},
              {"msys": {"track_event": {
                "type": "click", "event_id": "92356927693813863", "ip_address": "198.51.100.7",
                "rcpt_to": "recipient@example.com", "target_link_name": "Example Link Name",
                "target_link_url": "http://example.com/a%20b?utm=1&x=%7E", "timestamp": "1454442650",
                "transmission_id": "65832150921904138", "user_agent": "Mozilla/5.0"}}},
              {"msys": {"track_event": {
                "type": "amp_click", "event_id": "92356927693813864", "rcpt_to": "recipient@example.com",
                "target_link_url": "http://example.com/amp", "timestamp": "1454442651",
                "transmission_id": "65832150921904138"}}},
              {"msys": {"message_event": {
                "type": "spam_complaint", "event_id": "92356927693813865", "fbtype": "abuse",
                "rcpt_to": "recipient@example.com", "report_by": "server.email.com", "report_to": "abuse.example.com",
                "timestamp": "1454442660", "transmission_id": "65832150921904138"}}},
              {"msys": {"unsubscribe_event": {
                "type": "list_unsubscribe", "event_id": "66331590532986193", "mailfrom": "recipient@example.com",
                "message_id": "0004278150574660124d", "raw_rcpt_to": "recipient@example.com",
                "rcpt_to": "recipient@example.com", "timestamp": "1464894280", "transmission_id": "84345993965073285"}}},
              {"msys": {"unsubscribe_event": {
                "type": "link_unsubscribe", "event_id": "66331590532986194", "rcpt_to": "recipient@example.com",
                "timestamp": "1464894290", "transmission_id": "84345993965073285", "user_agent": "Mozilla/5.0"}}},
              {"msys": {"message_event": {
                "type": "sms_status", "event_id": "92356927693813866", "sms_dst": "7876712656",
                "timestamp": "1454442670"}}},
              {"msys": {"relay_event": {
                "type": "relay_injection", "event_id": "92356927693813867", "relay_id": "inbound",
                "rcpt_to": "inbound@relay.example.com", "timestamp": "1454442680"}}},
              {"msys": {"ab_test_event": {
                "type": "ab_test_completed", "event_id": "92356927693813868", "timestamp": "1454442690"}}}
            ]
            """;

    private WebhookRequest request(String body, Map<String, String> headers) {
        return Requests.request("sparkpost", utf8(body), headers, settings);
    }

    private WebhookRequest authentic(String body) {
        return request(body, Map.of("Authorization", basic(username, password),
                "Content-Type", "application/json", "X-MessageSystems-Batch-ID", "77c2b630-d0d6-11e5-a2e9-1d9a6a9d6a2f"));
    }

    private List<CanonicalEvent> accept(String body) {
        WebhookRequest r = authentic(body);
        new SparkPostVerifier().verify(r);
        return new SparkPostNormalizer().normalize(r);
    }

    @Test
    void maps_every_event_type_of_a_batch_in_payload_order() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.QUEUED, EventType.DELIVERED, EventType.BOUNCED, EventType.BOUNCED,
                EventType.AUTORESPONDED, EventType.BOUNCED, EventType.DEFERRED, EventType.REJECTED,
                EventType.REJECTED, EventType.FAILED, EventType.OPENED, EventType.OPENED, EventType.OPENED,
                EventType.CLICKED, EventType.CLICKED, EventType.COMPLAINED, EventType.UNSUBSCRIBED,
                EventType.UNSUBSCRIBED, EventType.UNKNOWN, EventType.UNKNOWN, EventType.UNKNOWN);
        assertThat(events).allSatisfy(e -> assertThat(e.esp()).isEqualTo("sparkpost"));
        assertThat(events).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void reads_message_id_time_event_id_recipient_tags_and_metadata_of_an_injection() throws Exception {
        CanonicalEvent injection = accept(BATCH).get(0);

        assertThat(injection.messageId()).isEqualTo("65832150921904138");
        assertThat(injection.occurredAt()).isEqualTo(Instant.parse("2016-02-02T19:50:00Z"));
        assertThat(injection.receivedAt()).isEqualTo(Requests.NOW);
        assertThat(injection.espEventId()).isEqualTo("92356927693813856");
        assertThat(injection.recipient()).isEqualTo("recipient@example.com");
        assertThat(injection.tags()).containsExactly("male", "US");
        assertThat(injection.metadata()).containsEntry("customKey", "customValue").containsEntry("order", "42")
                .containsEntry("nested", "{\"a\":1}");
        assertThat(injection.bounceType()).isNull();
        assertThat(injection.raw()).isEqualTo(Json.MAPPER.readTree(BATCH).get(0));
    }

    @Test
    void decides_hard_and_soft_bounces_by_bounce_class() {
        List<CanonicalEvent> events = accept(BATCH);

        CanonicalEvent hard = events.get(2);
        assertThat(hard.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(hard.recipient()).isEqualTo("bounce@example.com");
        assertThat(hard.reason()).isEqualTo("550 5.1.1 ...@... Recipient address rejected: ...");
        assertThat(hard.mtaResponse()).isEqualTo("550 5.1.1 <bounce@example.com>: Recipient address rejected: User unknown");
        assertThat(events.get(3).bounceType()).isEqualTo(BounceType.SOFT);
        assertThat(events.get(4).bounceType()).as("autoresponded carries no bounce type").isNull();
        assertThat(events.get(5).bounceType()).as("out_of_band class 30").isEqualTo(BounceType.HARD);
    }

    @Test
    void treats_unsubscribe_class_90_as_a_hard_bounce_and_a_bounce_without_class_as_untyped() {
        List<CanonicalEvent> events = accept("""
                [{"msys": {"message_event": {"type": "bounce", "bounce_class": "90", "rcpt_to": "a@example.com",
                  "timestamp": "1454442600", "transmission_id": "1", "event_id": "2"}}},
                 {"msys": {"message_event": {"type": "bounce", "bounce_class": "100", "rcpt_to": "b@example.com",
                  "timestamp": "1454442600", "transmission_id": "1", "event_id": "3"}}},
                 {"msys": {"message_event": {"type": "bounce", "rcpt_to": "c@example.com",
                  "timestamp": "1454442600", "transmission_id": "1", "event_id": "4"}}}]
                """);

        assertThat(events).extracting(CanonicalEvent::type)
                .containsExactly(EventType.BOUNCED, EventType.AUTORESPONDED, EventType.BOUNCED);
        assertThat(events).extracting(CanonicalEvent::bounceType).containsExactly(BounceType.HARD, null, null);
    }

    @Test
    void reads_click_url_verbatim_with_user_agent_and_ip() {
        List<CanonicalEvent> events = accept(BATCH);

        CanonicalEvent open = events.get(10);
        assertThat(open.userAgent()).isEqualTo("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_3) AppleWebKit/537.36");
        assertThat(open.ip()).isEqualTo("198.51.100.7");
        CanonicalEvent click = events.get(13);
        assertThat(click.url()).isEqualTo("http://example.com/a%20b?utm=1&x=%7E");
        assertThat(click.ip()).isEqualTo("198.51.100.7");
        assertThat(events.get(14).url()).isEqualTo("http://example.com/amp");
    }

    @Test
    void reads_iso_timestamps_and_complaint_feedback_type() {
        List<CanonicalEvent> events = accept(BATCH);

        assertThat(events.get(9).occurredAt()).isEqualTo(Instant.parse("2018-10-11T23:24:45Z"));
        assertThat(events.get(9).reason()).isEqualTo("554 5.3.3 [internal] Error while rendering part html: ...");
        assertThat(events.get(15).reason()).isEqualTo("abuse");
    }

    @Test
    void gives_no_events_for_the_ping_or_an_empty_batch_and_400_for_an_empty_body() {
        assertThat(accept("[{\"msys\":{}}]")).isEmpty();
        assertThat(accept("[]")).isEmpty();
        assertThatThrownBy(() -> accept("")).isInstanceOfSatisfying(WebhookRejection.class,
                r -> assertThat(r.getMessage()).isEqualTo("body is empty; expected JSON"));
    }

    @Test
    void gives_the_same_ids_when_the_same_batch_is_posted_twice() {
        List<String> first = accept(BATCH).stream().map(CanonicalEvent::id).toList();
        List<String> second = accept(BATCH).stream().map(CanonicalEvent::id).toList();

        assertThat(second).isEqualTo(first);
        assertThat(first).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void distinguishes_events_that_differ_only_in_event_id() {
        List<CanonicalEvent> events = accept("""
                [{"msys": {"track_event": {"type": "open", "rcpt_to": "a@example.com", "timestamp": "1454442600",
                  "transmission_id": "1", "event_id": "10"}}},
                 {"msys": {"track_event": {"type": "open", "rcpt_to": "a@example.com", "timestamp": "1454442600",
                  "transmission_id": "1", "event_id": "11"}}}]
                """);

        assertThat(events.get(0).id()).isNotEqualTo(events.get(1).id());
    }

    @Test
    void maps_an_odd_event_as_unknown_without_failing_the_batch() {
        List<CanonicalEvent> events = accept("""
                [{"msys": {"message_event": {"type": "delivery", "rcpt_to": "a@example.com",
                  "timestamp": "not a time", "transmission_id": "1", "event_id": "10"}}},
                 {"msys": {"message_event": "what"}},
                 {"msys": {"track_event": {"type": "brand_new_type", "rcpt_to": "b@example.com"}}}]
                """);

        assertThat(events).extracting(CanonicalEvent::type)
                .containsExactly(EventType.DELIVERED, EventType.UNKNOWN, EventType.UNKNOWN);
        assertThat(events.get(0).occurredAt()).isEqualTo(Requests.NOW.truncatedTo(ChronoUnit.MILLIS));
        assertThat(events.get(2).recipient()).isEqualTo("b@example.com");
    }

    @Test
    void rejects_wrong_credentials_with_401() {
        WebhookRequest r = request(BATCH, Map.of("Authorization", basic(username, "wrong"), "Content-Type", "application/json"));

        assertThatThrownBy(() -> new SparkPostVerifier().verify(r))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void rejects_missing_credentials_with_401_even_when_the_body_is_malformed() {
        WebhookRequest r = request("[{not json", Map.of("Content-Type", "application/json"));

        assertThatThrownBy(() -> new SparkPostVerifier().verify(r))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void fails_closed_with_401_when_no_credentials_are_configured() {
        WebhookRequest r = Requests.request("sparkpost", utf8(BATCH),
                Map.of("Authorization", basic("", ""), "Content-Type", "application/json"), Map.of());

        assertThatThrownBy(() -> new SparkPostVerifier().verify(r))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.reason().label()).isEqualTo("not_configured");
                });
    }

    @Test
    void accepts_rotated_credentials() {
        Map<String, String> rotated = Map.of("username", "old," + username, "password", "old-pass," + password);
        WebhookRequest r = Requests.request("sparkpost", utf8("[]"),
                Map.of("Authorization", basic(username, password)), rotated);

        new SparkPostVerifier().verify(r);
    }

    @Test
    void rejects_malformed_json_with_400() {
        assertThatThrownBy(() -> accept("[{\"msys\": {"))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void rejects_a_body_that_is_not_an_array_of_msys_wrappers_with_400_naming_the_path() {
        assertThatThrownBy(() -> accept("{\"msys\": {}}"))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> accept("[{\"msys\": {}}, {\"event\": \"delivery\"}]"))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("$[1].msys");
                });
    }

    @Test
    void rejects_a_wrong_content_type_with_415() {
        WebhookRequest r = request(BATCH, Map.of("Authorization", basic(username, password), "Content-Type", "text/plain"));

        assertThatThrownBy(() -> new SparkPostNormalizer().normalize(r))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(415));
    }
}
