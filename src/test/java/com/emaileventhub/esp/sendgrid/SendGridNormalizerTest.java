package com.emaileventhub.esp.sendgrid;

import static com.emaileventhub.esp.Requests.assertRejected;
import static com.emaileventhub.esp.sendgrid.SendGridPayloads.MESSAGE_ID;
import static com.emaileventhub.esp.sendgrid.SendGridPayloads.batch;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class SendGridNormalizerTest {
    private final SendGridNormalizer normalizer = new SendGridNormalizer();

    @Test
    void maps_every_documented_event_type_in_payload_order() {
        List<CanonicalEvent> events = normalize(batch(SendGridPayloads.ALL));
        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.QUEUED, EventType.DEFERRED, EventType.DELIVERED, EventType.OPENED, EventType.CLICKED,
                EventType.BOUNCED, EventType.BOUNCED, EventType.REJECTED, EventType.COMPLAINED,
                EventType.UNSUBSCRIBED, EventType.UNSUBSCRIBED, EventType.SUBSCRIBED, EventType.UNKNOWN);
        assertThat(events).allSatisfy(e -> assertThat(e.esp()).isEqualTo("sendgrid"));
    }

    @Test
    void keeps_sg_message_id_verbatim_and_lower_cases_the_recipient() throws Exception {
        CanonicalEvent e = one(SendGridPayloads.PROCESSED);
        assertThat(e.messageId()).isEqualTo(MESSAGE_ID);
        assertThat(e.recipient()).isEqualTo("example@test.com");
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1513299569));
        assertThat(e.receivedAt()).isEqualTo(Instant.parse("2024-03-04T12:00:00Z"));
        assertThat(e.espEventId()).isEqualTo("rbtnWrG1DVDGGGFHFyun0A");
        assertThat(e.tags()).containsExactly("cat facts");
        assertThat(e.raw()).isEqualTo(Json.MAPPER.readTree(SendGridPayloads.PROCESSED));
    }

    @Test
    void bounce_of_type_bounce_is_hard_and_carries_reason_and_smtp_reply() {
        CanonicalEvent e = one(SendGridPayloads.BOUNCE);
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(e.reason()).isEqualTo("550 5.1.1 The email account that you tried to reach does not exist.");
        assertThat(e.mtaResponse()).isEqualTo("550 5.1.1 The email account that you tried to reach does not exist.");
        assertThat(e.ip()).as("sending IP is not the recipient's").isNull();
        assertThat(e.metadata()).isEmpty();
    }

    @Test
    void bounce_of_type_blocked_is_soft_even_without_status() {
        CanonicalEvent e = one(SendGridPayloads.BLOCKED);
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isEqualTo(BounceType.SOFT);
        assertThat(e.recipient()).isEqualTo("noemail@this.does.not.exist.tld");
        assertThat(e.reason()).startsWith("unable to get mx info");
    }

    @Test
    void bounce_without_classification_has_no_bounce_type() {
        CanonicalEvent e = one("""
                {"email":"a@b.com","timestamp":1513299574,"event":"bounce","reason":"500 unknown recipient"}""");
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isNull();
    }

    @Test
    void dropped_is_rejected_with_reason_and_no_mta_response() {
        CanonicalEvent e = one(SendGridPayloads.DROPPED);
        assertThat(e.type()).isEqualTo(EventType.REJECTED);
        assertThat(e.bounceType()).isNull();
        assertThat(e.reason()).isEqualTo("Bounced Address");
        assertThat(e.mtaResponse()).isNull();
    }

    @Test
    void deferred_and_delivered_carry_the_smtp_response() {
        CanonicalEvent deferred = one(SendGridPayloads.DEFERRED);
        assertThat(deferred.reason()).isEqualTo("400 try again later");
        assertThat(deferred.mtaResponse()).isEqualTo("400 try again later");
        CanonicalEvent delivered = one(SendGridPayloads.DELIVERED);
        assertThat(delivered.reason()).isNull();
        assertThat(delivered.mtaResponse()).isEqualTo("250 OK");
        assertThat(delivered.ip()).isNull();
    }

    @Test
    void open_carries_user_agent_ip_and_array_categories() {
        CanonicalEvent e = one(SendGridPayloads.OPEN);
        assertThat(e.userAgent()).startsWith("Mozilla/4.0 (compatible; MSIE 6.1");
        assertThat(e.ip()).isEqualTo("255.255.255.255");
        assertThat(e.tags()).containsExactly("cat facts", "newsletter");
        assertThat(e.metadata()).as("sg_machine_open is SendGrid's").isEmpty();
    }

    @Test
    void click_keeps_the_url_exactly_as_sent() {
        CanonicalEvent e = one(SendGridPayloads.CLICK);
        assertThat(e.url()).isEqualTo("https://www.example.com/path?utm_source=x&q=%2Fa%20b");
        assertThat(e.ip()).isEqualTo("255.255.255.255");
        assertThat(e.metadata()).as("url_offset is SendGrid's").isEmpty();
    }

    @Test
    void group_unsubscribe_is_a_full_unsubscribe_with_the_preference_url_and_group_kept_in_raw() {
        CanonicalEvent e = one(SendGridPayloads.GROUP_UNSUBSCRIBE);
        assertThat(e.type()).isEqualTo(EventType.UNSUBSCRIBED);
        assertThat(e.url()).isEqualTo("http://www.sendgrid.com/");
        assertThat(e.raw().get("asm_group_id").asInt()).isEqualTo(10);
        assertThat(e.metadata()).isEmpty();
        assertThat(one(SendGridPayloads.GROUP_RESUBSCRIBE).type()).isEqualTo(EventType.SUBSCRIBED);
    }

    @Test
    void custom_args_merged_at_top_level_become_metadata() {
        CanonicalEvent e = one(SendGridPayloads.PROCESSED);
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("order_id", "A-1001", "plan", "pro"));
    }

    @Test
    void non_string_custom_args_and_nested_unique_args_become_string_metadata() {
        CanonicalEvent e = one("""
                {"email":"a@b.com","timestamp":1513299569,"event":"delivered","response":"250 OK",\
                "user_id":12345,"vip":true,"unique_args":{"batch":"b-7"}}""");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("user_id", "12345", "vip", "true", "batch", "b-7"));
    }

    @Test
    void account_events_without_a_recipient_are_unknown_not_dropped() {
        CanonicalEvent e = one(SendGridPayloads.ACCOUNT_STATUS_CHANGE);
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(e.recipient()).isNull();
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1513299580));
    }

    @Test
    void unknown_event_type_becomes_unknown() {
        CanonicalEvent e = one("""
                {"email":"a@b.com","timestamp":1513299569,"event":"machine_opened_by_robot","sg_event_id":"x"}""");
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(e.recipient()).isEqualTo("a@b.com");
    }

    @Test
    void odd_element_in_a_batch_does_not_fail_the_others() {
        List<CanonicalEvent> events = normalize(batch(SendGridPayloads.DELIVERED, "42",
                """
                {"email":"a@b.com","timestamp":"not a time","event":"open"}""",
                "null", SendGridPayloads.BOUNCE));
        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.DELIVERED, EventType.UNKNOWN, EventType.UNKNOWN, EventType.UNKNOWN, EventType.BOUNCED);
        assertThat(events.get(1).raw().asInt()).isEqualTo(42);
    }

    @Test
    void same_payload_gives_the_same_ids() {
        List<String> first = ids(normalize(batch(SendGridPayloads.ALL)));
        List<String> again = ids(normalize(batch(SendGridPayloads.ALL)));
        assertThat(again).isEqualTo(first);
        assertThat(first).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void ids_do_not_depend_on_sg_event_id_which_sendgrid_changes_on_retry() {
        String retried = SendGridPayloads.BOUNCE.replace("6g4ZI7SA-xmRDv57GoPIPw", "b3RoZXItcmV0cnktaWQ");
        assertThat(one(retried).id()).isEqualTo(one(SendGridPayloads.BOUNCE).id());
        assertThat(one(retried).espEventId()).isEqualTo("b3RoZXItcmV0cnktaWQ");
    }

    @Test
    void ids_do_not_depend_on_when_the_hub_received_the_batch() {
        WebhookRequest later = Requests.to("sendgrid").json().receivedAt(Instant.parse("2024-03-05T00:00:00Z"))
                .body(batch(SendGridPayloads.OPEN));
        assertThat(normalizer.normalize(later).get(0).id()).isEqualTo(one(SendGridPayloads.OPEN).id());
    }

    @Test
    void empty_batch_gives_no_events() {
        assertThat(normalize("[]\r\n")).isEmpty();
    }

    @Test
    void accepts_json_content_type_with_charset() {
        WebhookRequest request = Requests.to("sendgrid").header("content-type", "application/json;charset=utf-8")
                .body(batch(SendGridPayloads.DELIVERED));
        assertThat(normalizer.normalize(request)).hasSize(1);
    }

    @Test
    void rejects_a_body_that_is_not_an_array_naming_the_root() {
        WebhookRequest request = Requests.to("sendgrid").json().body(SendGridPayloads.DELIVERED);
        assertRejected(() -> normalizer.normalize(request), 400, "bad_request");
        Assertions.assertThatThrownBy(() -> normalizer.normalize(request)).hasMessageStartingWith("$");
    }

    @Test
    void rejects_malformed_json_with_400() {
        WebhookRequest request = Requests.to("sendgrid").json().body("[{\"event\":\"open\",");
        assertRejected(() -> normalizer.normalize(request), 400, "bad_request");
    }

    @Test
    void rejects_wrong_content_type_with_415() {
        WebhookRequest form = Requests.to("sendgrid").header("Content-Type", "application/x-www-form-urlencoded")
                .body(batch(SendGridPayloads.DELIVERED));
        assertRejected(() -> normalizer.normalize(form), 415, "unsupported_media_type");
        WebhookRequest none = Requests.to("sendgrid").body(batch(SendGridPayloads.DELIVERED));
        assertRejected(() -> normalizer.normalize(none), 415, "unsupported_media_type");
    }

    @Test
    void canonical_json_has_the_documented_shape() throws Exception {
        String json = Json.MAPPER.writeValueAsString(one(SendGridPayloads.BOUNCE));
        var node = Json.MAPPER.readTree(json);
        assertThat(node.get("type").asText()).isEqualTo("bounced");
        assertThat(node.get("bounce_type").asText()).isEqualTo("hard");
        assertThat(node.get("occurred_at").asText()).isEqualTo("2017-12-15T00:59:34.000Z");
        assertThat(node.get("message_id").asText()).isEqualTo(MESSAGE_ID);
    }

    @Test
    void an_open_with_sg_machine_open_true_is_machine_made_and_one_with_false_is_not() {
        CanonicalEvent human = one(SendGridPayloads.OPEN);
        assertThat(human.machine()).isFalse();
        assertThat(human.machineReason()).isNull();
        CanonicalEvent machine = one(SendGridPayloads.OPEN.replace("\"sg_machine_open\":false", "\"sg_machine_open\":true"));
        assertThat(machine.machine()).isTrue();
        assertThat(machine.machineReason()).isEqualTo("sendgrid:sg_machine_open");
        assertThat(machine.id()).as("the flag is a finding, not part of the identity").isEqualTo(human.id());
    }

    private CanonicalEvent one(String event) {
        List<CanonicalEvent> events = normalize(batch(event));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private List<CanonicalEvent> normalize(String body) {
        return normalizer.normalize(Requests.to("sendgrid").json().body(body));
    }

    private static List<String> ids(List<CanonicalEvent> events) {
        return events.stream().map(CanonicalEvent::id).toList();
    }
}
