package com.emaileventhub.esp.postmark;

import static com.emaileventhub.esp.Requests.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostmarkNormalizerTest {
    private final PostmarkNormalizer normalizer = new PostmarkNormalizer();

    @Test
    void delivery_reads_recipient_message_id_time_tag_metadata_and_details() throws Exception {
        CanonicalEvent e = one(PostmarkPayloads.DELIVERY);
        assertThat(e.esp()).isEqualTo("postmark");
        assertThat(e.type()).isEqualTo(EventType.DELIVERED);
        assertThat(e.recipient()).isEqualTo("john@example.com");
        assertThat(e.messageId()).isEqualTo("00000000-0000-0000-0000-000000000000");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2021-02-21T16:34:52Z"));
        assertThat(e.tags()).containsExactly("welcome-email");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("a_key", "a_value", "b_key", "b_value"));
        assertThat(e.mtaResponse()).isEqualTo("Test delivery webhook details");
        assertThat(e.espEventId()).isNull();
        assertThat(e.raw()).isEqualTo(Json.MAPPER.readTree(PostmarkPayloads.DELIVERY));
    }

    @Test
    void hard_bounce_keeps_its_big_id_exactly_and_truncates_seven_fraction_digits_to_millis() {
        CanonicalEvent e = one(PostmarkPayloads.BOUNCE);
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(e.espEventId()).isEqualTo("4323372036854775807");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2019-11-05T16:33:54.907Z"));
        assertThat(e.recipient()).isEqualTo("john@example.com");
        assertThat(e.reason()).startsWith("The server was unable to deliver your message");
        assertThat(e.mtaResponse()).isEqualTo("smtp;550 5.1.1 The email account that you tried to reach does not exist.");
        assertThat(e.tags()).containsExactly("Test");
    }

    @Test
    void spam_complaint_record_is_a_complaint_with_a_stable_id() {
        CanonicalEvent e = one(PostmarkPayloads.SPAM_COMPLAINT);
        assertThat(e.type()).isEqualTo(EventType.COMPLAINED);
        assertThat(e.espEventId()).isEqualTo("42");
        assertThat(e.reason()).isEqualTo("The subscriber explicitly marked this message as spam.");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2019-11-05T16:33:54.907Z"));
    }

    @Test
    void open_reads_user_agent_and_geo_ip() {
        CanonicalEvent e = one(PostmarkPayloads.OPEN);
        assertThat(e.type()).isEqualTo(EventType.OPENED);
        assertThat(e.userAgent()).startsWith("Mozilla/5.0 (Macintosh;");
        assertThat(e.ip()).isEqualTo("188.2.95.4");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2019-11-05T16:33:54.907Z"));
    }

    @Test
    void click_keeps_original_link_verbatim_and_converts_the_offset_to_utc() {
        CanonicalEvent e = one(PostmarkPayloads.CLICK);
        assertThat(e.type()).isEqualTo(EventType.CLICKED);
        assertThat(e.url()).isEqualTo("https://example.com/Landing?id=1&ref=%E2%9C%93");
        assertThat(e.ip()).isEqualTo("8.8.8.8");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2017-10-25T19:21:11.123Z"));
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2} {3}")
    @CsvSource(nullValues = "null", value = {
            "HardBounce, 1, bounced, hard",
            "Transient, 2, deferred, null",
            "Unsubscribe, 16, unsubscribed, null",
            "Subscribe, 32, subscribed, null",
            "AutoResponder, 64, autoresponded, null",
            "AddressChange, 128, autoresponded, null",
            "DnsError, 256, deferred, null",
            "SpamNotification, 512, complained, null",
            "OpenRelayTest, 1024, deferred, null",
            "Unknown, 2048, unknown, null",
            "SoftBounce, 4096, bounced, soft",
            "VirusNotification, 8192, bounced, soft",
            "ChallengeVerification, 16384, autoresponded, null",
            "BadEmailAddress, 100000, rejected, null",
            "SpamComplaint, 100001, complained, null",
            "ManuallyDeactivated, 100002, rejected, null",
            "Unconfirmed, 100003, rejected, null",
            "Blocked, 100006, rejected, null",
            "SMTPApiError, 100007, failed, null",
            "InboundError, 100008, unknown, null",
            "DMARCPolicy, 100009, rejected, null",
            "TemplateRenderingFailed, 100010, failed, null"})
    void maps_every_bounce_type_by_name_and_by_type_code_alone(String type, int code, String expected, String bounce) {
        for (CanonicalEvent e : List.of(one(PostmarkPayloads.bounce(type, code)), one(PostmarkPayloads.bounce(null, code)))) {
            assertThat(e.type().wireName()).isEqualTo(expected);
            assertThat(e.bounceTypeName()).isEqualTo(bounce);
            assertThat(e.espEventId()).isEqualTo("4323372036854775807");
        }
    }

    @Test
    void bounce_of_an_undocumented_type_is_unknown() {
        assertThat(one(PostmarkPayloads.bounce("SomethingNew", 999999)).type()).isEqualTo(EventType.UNKNOWN);
        assertThat(one(PostmarkPayloads.bounce(null, null)).type()).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void subscription_change_with_suppress_sending_is_an_unsubscribe() {
        CanonicalEvent e = one(PostmarkPayloads.SUBSCRIPTION_CHANGE);
        assertThat(e.type()).isEqualTo(EventType.UNSUBSCRIBED);
        assertThat(e.recipient()).isEqualTo("bounced-address@wildbit.com");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2020-02-01T10:53:34.416Z"));
        assertThat(e.tags()).containsExactly("my-tag");
        assertThat(e.espEventId()).isNull();
    }

    @Test
    void subscription_change_without_suppression_is_a_resubscribe() {
        CanonicalEvent e = one(PostmarkPayloads.subscriptionChange("false", null));
        assertThat(e.type()).isEqualTo(EventType.SUBSCRIBED);
    }

    @Test
    void suppression_for_a_hard_bounce_or_spam_complaint_is_reported_as_that() {
        CanonicalEvent bounce = one(PostmarkPayloads.subscriptionChange("true", "HardBounce"));
        assertThat(bounce.type()).isEqualTo(EventType.BOUNCED);
        assertThat(bounce.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(one(PostmarkPayloads.subscriptionChange("true", "SpamComplaint")).type())
                .isEqualTo(EventType.COMPLAINED);
    }

    @Test
    void subscription_change_without_suppress_sending_is_unknown() {
        String body = PostmarkPayloads.SUBSCRIPTION_CHANGE.replace("\"SuppressSending\":true,", "");
        assertThat(one(body).type()).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void unknown_record_type_becomes_unknown_but_keeps_what_it_can() {
        CanonicalEvent e = one("""
                {"RecordType":"SMSDelivery","MessageID":"m-1","Recipient":"A@B.com","DeliveredAt":"2024-01-01T00:00:00Z"}""");
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(e.recipient()).isEqualTo("a@b.com");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void unparsable_timestamp_makes_the_event_unknown_rather_than_failing() {
        CanonicalEvent e = one(PostmarkPayloads.DELIVERY.replace("2021-02-21T16:34:52Z", "last tuesday"));
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void same_payload_gives_the_same_id_and_bounce_id_takes_part() {
        String id = one(PostmarkPayloads.BOUNCE).id();
        assertThat(one(PostmarkPayloads.BOUNCE).id()).isEqualTo(id);
        assertThat(one(PostmarkPayloads.BOUNCE.replace("4323372036854775807", "4323372036854775806")).id())
                .isNotEqualTo(id);
        assertThat(one(PostmarkPayloads.OPEN).id()).isEqualTo(one(PostmarkPayloads.OPEN).id());
    }

    @Test
    void rejects_a_body_without_record_type_naming_the_field() {
        WebhookRequest request = request("{\"MessageID\":\"x\",\"Recipient\":\"a@b.com\"}");
        assertRejected(() -> normalizer.normalize(request), 400, "bad_request");
        assertThatThrownBy(() -> normalizer.normalize(request)).hasMessageContaining("RecordType");
        assertRejected(() -> normalizer.normalize(request("{\"RecordType\":7}")), 400, "bad_request");
    }

    @Test
    void rejects_json_that_is_not_an_object() {
        assertRejected(() -> normalizer.normalize(request("[" + PostmarkPayloads.DELIVERY + "]")), 400, "bad_request");
        assertRejected(() -> normalizer.normalize(request("\"Delivery\"")), 400, "bad_request");
    }

    @Test
    void rejects_malformed_json_with_400() {
        assertRejected(() -> normalizer.normalize(request("{\"RecordType\":\"Delivery\"")), 400, "bad_request");
    }

    @Test
    void rejects_wrong_content_type_with_415() {
        WebhookRequest request = Requests.to("postmark").header("Content-Type", "text/xml").body(PostmarkPayloads.DELIVERY);
        assertRejected(() -> normalizer.normalize(request), 415, "unsupported_media_type");
    }

    private CanonicalEvent one(String body) {
        List<CanonicalEvent> events = normalizer.normalize(request(body));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static WebhookRequest request(String body) {
        return Requests.to("postmark").header("Content-Type", "application/json; charset=utf-8").body(body);
    }
}
