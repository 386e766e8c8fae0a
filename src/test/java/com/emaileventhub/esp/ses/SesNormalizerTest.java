package com.emaileventhub.esp.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SES events shaped like AWS's published examples, posted as signed SNS notifications, verified, then mapped. */
class SesNormalizerTest {
    private static final String MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";
    private static final String SNS_ID = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";

    private final SnsTestKeys keys = SnsTestKeys.get();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final RecordingFetcher network = new RecordingFetcher();
    private final SesVerifier verifier = new SesVerifier(network);
    private final SesNormalizer normalizer = new SesNormalizer();
    private final Map<String, String> settings = new HashMap<>();

    @TempDir
    Path certificates;

    @BeforeEach
    void trustTheTestCertificate() throws IOException {
        keys.valid.writeTo(certificates, SnsEnvelope.CERT_NAME);
        settings.put("hub.esp.ses.topic-arns", SnsEnvelope.TOPIC);
        settings.put("hub.esp.ses.certificate-dir", certificates.toString());
    }

    private static String example(String name) {
        try (InputStream in = SesNormalizerTest.class.getResourceAsStream("/ses/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing example " + name, e);
        }
    }

    /** As the intake route does it: verify, then normalize the same request. */
    private List<CanonicalEvent> post(SnsEnvelope envelope) {
        WebhookRequest request = envelope.signedWith(keys.valid.privateKey()).request(settings, now);
        verifier.verify(request);
        return normalizer.normalize(request);
    }

    private List<CanonicalEvent> post(String message) {
        return post(SnsEnvelope.notification(message, now.minusSeconds(3)));
    }

    private CanonicalEvent single(String exampleName) {
        List<CanonicalEvent> events = post(example(exampleName));
        assertThat(events).hasSize(1);
        CanonicalEvent e = events.get(0);
        assertThat(e.esp()).isEqualTo("ses");
        assertThat(e.espEventId()).isEqualTo(SNS_ID);
        assertThat(e.receivedAt()).isEqualTo(now);
        assertThat(e.raw()).isEqualTo(json(example(exampleName)));
        assertThat(e.id()).matches("[0-9a-f]{32}");
        return e;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void maps_a_permanent_bounce_to_a_hard_bounce_with_the_bounce_time() {
        CanonicalEvent e = single("bounce");
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(e.recipient()).isEqualTo("recipient@example.com");
        assertThat(e.messageId()).isEqualTo(MESSAGE_ID);
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2017-08-05T00:41:02.669Z"));
        assertThat(e.reason()).isEqualTo("General");
        assertThat(e.mtaResponse()).isEqualTo("smtp; 550 5.1.1 user unknown");
        assertThat(e.tags()).isEmpty();
        assertThat(e.metadata()).isEmpty();
    }

    @Test
    void fans_a_bounce_out_to_one_event_per_bounced_recipient() {
        List<CanonicalEvent> events = post(example("bounce-multi"));
        assertThat(events).extracting(CanonicalEvent::recipient)
                .containsExactly("first.person@example.com", "second@example.com");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.BOUNCED);
            assertThat(e.bounceType()).isEqualTo(BounceType.SOFT);
            assertThat(e.reason()).isEqualTo("MailboxFull");
            assertThat(e.espEventId()).isEqualTo(SNS_ID);
            assertThat(e.messageId()).isEqualTo("EXAMPLE-multi-000000");
            assertThat(e.tags()).containsExactly("campaign:spring");
            assertThat(e.metadata()).containsExactly(Map.entry("campaign", "spring"));
        });
        assertThat(events.get(0).mtaResponse()).isEqualTo("smtp; 552 4.2.2 mailbox full");
        assertThat(events.get(1).mtaResponse()).isEqualTo("5.2.2");
        assertThat(events.get(0).id()).isNotEqualTo(events.get(1).id());
    }

    @Test
    void gives_the_same_ids_when_sns_delivers_the_same_notification_again() {
        List<String> first = post(example("bounce-multi")).stream().map(CanonicalEvent::id).toList();
        List<String> again = post(example("bounce-multi")).stream().map(CanonicalEvent::id).toList();
        assertThat(again).isEqualTo(first).doesNotHaveDuplicates();
    }

    @Test
    void maps_a_complaint_with_its_feedback_type_as_reason() {
        CanonicalEvent e = single("complaint");
        assertThat(e.type()).isEqualTo(EventType.COMPLAINED);
        assertThat(e.bounceType()).isNull();
        assertThat(e.recipient()).isEqualTo("recipient@example.com");
        assertThat(e.reason()).isEqualTo("abuse");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2017-08-05T00:41:02.669Z"));
        assertThat(e.userAgent()).isNull();
    }

    @Test
    void maps_a_delivery_with_the_smtp_response_and_the_senders_tags() {
        CanonicalEvent e = single("delivery");
        assertThat(e.type()).isEqualTo(EventType.DELIVERED);
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2016-10-19T23:21:04.133Z"));
        assertThat(e.mtaResponse()).isEqualTo("250 2.6.0 Message received");
        assertThat(e.tags()).containsExactly("myCustomTag1:myCustomTagValue1", "myCustomTag2:myCustomTagValue2");
        assertThat(e.metadata()).containsOnly(Map.entry("myCustomTag1", "myCustomTagValue1"),
                Map.entry("myCustomTag2", "myCustomTagValue2"));
    }

    @Test
    void maps_a_send_to_sent_at_the_send_time_for_every_destination() {
        List<CanonicalEvent> events = post(example("send"));
        assertThat(events).extracting(CanonicalEvent::recipient)
                .containsExactly("recipient@example.com", "other@example.com");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.SENT);
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2016-10-14T05:02:16.645Z"));
            assertThat(e.messageId()).isEqualTo(MESSAGE_ID);
        });
    }

    @Test
    void maps_a_reject_with_its_reason() {
        CanonicalEvent e = single("reject");
        assertThat(e.type()).isEqualTo(EventType.REJECTED);
        assertThat(e.recipient()).isEqualTo("sender@example.com");
        assertThat(e.reason()).isEqualTo("Bad content");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2016-10-14T17:38:15.211Z"));
    }

    @Test
    void maps_an_open_with_ip_and_user_agent_at_the_open_time() {
        CanonicalEvent e = single("open");
        assertThat(e.type()).isEqualTo(EventType.OPENED);
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2017-08-09T22:00:19.652Z"));
        assertThat(e.ip()).isEqualTo("192.0.2.1");
        assertThat(e.userAgent()).startsWith("Mozilla/5.0 (iPhone;");
        assertThat(e.url()).isNull();
    }

    @Test
    void maps_a_click_with_the_link_verbatim_and_its_link_tags() {
        CanonicalEvent e = single("click");
        assertThat(e.type()).isEqualTo(EventType.CLICKED);
        assertThat(e.url()).isEqualTo(
                "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html?utm_source=ses&q=a%20b");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2017-08-09T23:51:25.570Z"));
        assertThat(e.ip()).isEqualTo("192.0.2.1");
        assertThat(e.userAgent()).contains("Chrome/60.0.3112.90");
        assertThat(e.tags()).containsExactly("myCustomTag1:myCustomValue1", "myCustomTag2:myCustomValue2",
                "samplekey0:samplevalue0", "samplekey1:samplevalue1");
        assertThat(e.metadata()).containsEntry("samplekey1", "samplevalue1").doesNotContainKey("ses:source-ip");
    }

    @Test
    void maps_a_rendering_failure_to_failed_at_the_send_time() {
        CanonicalEvent e = single("rendering-failure");
        assertThat(e.type()).isEqualTo(EventType.FAILED);
        assertThat(e.reason()).isEqualTo("Attribute 'attributeName' is not present in the rendering data.");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2018-01-22T18:43:06.197Z"));
    }

    @Test
    void maps_a_delivery_delay_to_deferred_with_the_delay_type_and_smtp_diagnostic() {
        CanonicalEvent e = single("delivery-delay");
        assertThat(e.type()).isEqualTo(EventType.DEFERRED);
        assertThat(e.bounceType()).isNull();
        assertThat(e.reason()).isEqualTo("TransientCommunicationFailure");
        assertThat(e.mtaResponse()).isEqualTo("smtp; 421 4.4.1 Unable to connect to remote host");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2020-06-16T00:25:40.095Z"));
    }

    @Test
    void maps_an_unsubscribe_all_subscription_event_to_unsubscribed() {
        CanonicalEvent e = single("subscription");
        assertThat(e.type()).isEqualTo(EventType.UNSUBSCRIBED);
        assertThat(e.recipient()).isEqualTo("recipient@example.com");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2022-01-12T01:00:17.910Z"));
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void maps_a_topic_opt_out_to_unsubscribed_and_an_opt_in_to_subscribed() {
        ObjectNode optOut = (ObjectNode) json(example("subscription"));
        ObjectNode preferences = (ObjectNode) optOut.path("subscription").path("newTopicPreferences");
        preferences.put("unsubscribeAll", false);
        ((ObjectNode) optOut.path("subscription").path("oldTopicPreferences").path("topicSubscriptionStatus").get(0))
                .put("subscriptionStatus", "OptIn");
        assertThat(post(optOut.toString())).extracting(CanonicalEvent::type).containsExactly(EventType.UNSUBSCRIBED);

        ObjectNode optIn = optOut.deepCopy();
        ((ObjectNode) optIn.path("subscription").path("newTopicPreferences").path("topicSubscriptionStatus").get(0))
                .put("subscriptionStatus", "OptIn");
        ((ObjectNode) optIn.path("subscription").path("oldTopicPreferences").path("topicSubscriptionStatus").get(0))
                .put("subscriptionStatus", "OptOut");
        assertThat(post(optIn.toString())).extracting(CanonicalEvent::type).containsExactly(EventType.SUBSCRIBED);
    }

    @Test
    void reads_feedback_notifications_that_use_notification_type() {
        List<CanonicalEvent> events = post(example("notification-bounce"));
        assertThat(events).extracting(CanonicalEvent::recipient)
                .containsExactly("jane@example.com", "richard@example.com");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.BOUNCED);
            assertThat(e.bounceType()).isNull();
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2016-01-27T14:59:38.237Z"));
            assertThat(e.messageId()).isEqualTo("00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000");
        });
        assertThat(events.get(0).mtaResponse()).isEqualTo("smtp; 550 unknown problem");
    }

    @Test
    void keeps_an_unknown_event_type_as_unknown_per_destination() {
        ObjectNode event = (ObjectNode) json(example("send"));
        event.put("eventType", "Teleport");
        event.remove("send");
        event.putObject("teleport").put("timestamp", "2024-05-06T07:08:09.123Z");
        List<CanonicalEvent> events = post(event.toString());
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z"));
            assertThat(e.raw()).isEqualTo(event);
        });
    }

    @Test
    void keeps_an_event_that_names_no_recipient_with_a_null_recipient() {
        List<CanonicalEvent> events =
                post("{\"eventType\":\"Open\",\"open\":{\"timestamp\":\"2024-01-01T00:00:00Z\"}}");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.OPENED);
            assertThat(e.recipient()).isNull();
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        });
    }

    @Test
    void ignores_the_subject_whether_present_or_not() {
        List<CanonicalEvent> without = post(example("delivery"));
        List<CanonicalEvent> with = post(SnsEnvelope.notification(example("delivery"), now.minusSeconds(3))
                .set("Subject", "Amazon SES Email Event Notification"));
        assertThat(with).extracting(CanonicalEvent::id).isEqualTo(without.stream().map(CanonicalEvent::id).toList());
    }

    @Test
    void gives_no_events_for_the_messages_ses_sends_while_a_topic_is_set_up() {
        assertThat(post("Successfully validated SNS topic for Amazon SES event publishing.")).isEmpty();
        assertThat(post("{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\",\"message\":\"You have "
                + "successfully subscribed your Amazon SNS topic to receive 'Bounce' notifications.\"}")).isEmpty();
    }

    @Test
    void gives_no_events_for_subscription_and_unsubscribe_confirmations() {
        assertThat(post(SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(1)))).isEmpty();
        assertThat(post(SnsEnvelope.confirmation("UnsubscribeConfirmation", now.minusSeconds(1)))).isEmpty();
    }

    @Test
    void rejects_a_message_that_is_not_an_ses_event_with_400() {
        assertThatThrownBy(() -> post("hello from someone else's publisher"))
                .isInstanceOfSatisfying(WebhookRejection.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.getMessage()).contains("'Message'");
                });
        assertThatThrownBy(() -> post("[\"not\",\"an\",\"object\"]"))
                .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void rejects_a_wrong_content_type_with_415() {
        SnsEnvelope envelope = SnsEnvelope.notification(example("send"), now).signedWith(keys.valid.privateKey());
        WebhookRequest request = envelope.request(envelope.body(), "application/xml", settings, now);
        assertThatThrownBy(() -> normalizer.normalize(request))
                .isInstanceOfSatisfying(WebhookRejection.class, r -> assertThat(r.status()).isEqualTo(415));
    }

    @Test
    void serializes_to_the_canonical_json_shape() throws IOException {
        JsonNode out = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(single("bounce")));
        assertThat(out.path("type").asText()).isEqualTo("bounced");
        assertThat(out.path("bounce_type").asText()).isEqualTo("hard");
        assertThat(out.path("occurred_at").asText()).isEqualTo("2017-08-05T00:41:02.669Z");
        assertThat(out.path("esp_event_id").asText()).isEqualTo(SNS_ID);
        assertThat(out.path("raw").path("eventType").asText()).isEqualTo("Bounce");
    }
}
