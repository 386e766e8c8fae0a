package com.emaileventhub.esp.ses;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /webhooks/ses over real HTTP: SNS envelopes signed in the test with a freshly generated RSA key whose
 * self-signed certificate sits in hub.esp.ses.certificate-dir under the SigningCertURL's file name (no fetch).
 */
class SesHttpTest extends VendorHttpTestSupport {
    private static final String M = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";
    private final SnsTestKeys keys = SnsTestKeys.get();

    @Override
    protected String vendor() {
        return "ses";
    }

    @Override
    protected Map<String, String> hubConfig() throws IOException {
        Path certificates = Files.createTempDirectory("sns-certificates");
        keys.valid.writeTo(certificates, SnsEnvelope.CERT_NAME);
        return Map.of(
                "hub.esp.ses.topic-arns", "arn:aws:sns:eu-west-1:123456789012:other," + SnsEnvelope.TOPIC,
                "hub.esp.ses.certificate-dir", certificates.toString(),
                "hub.esp.ses.auto-confirm", "false");
    }

    @Test
    void stores_every_ses_event_type_one_per_recipient() {
        List<String> files = List.of("send", "delivery", "bounce", "bounce-multi", "complaint", "delivery-delay", "reject",
                "rendering-failure", "open", "click", "subscription", "notification-bounce");
        for (int i = 0; i < files.size(); i++) {
            // version 1 and version 2 signatures alternate
            SnsEnvelope e = notification(resource(files.get(i))).set("SignatureVersion", i % 2 == 0 ? "1" : "2");
            HttpResponse<String> r = post(e.signedWith(keys.valid.privateKey()));
            assertThat(r.statusCode()).as(files.get(i) + ": " + r.body()).isEqualTo(200);
        }
        String feedback = "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000";
        assertThat(stored()).containsExactlyInAnyOrder(
                // a feedback notification (notificationType) with bounceType Undetermined: neither hard nor soft
                "bounced|-|jane@example.com|" + feedback + "|2016-01-27T14:59:38.237Z",
                "bounced|-|richard@example.com|" + feedback + "|2016-01-27T14:59:38.237Z",
                // Send names no recipient list of its own: every destination, display names removed
                "sent|-|other@example.com|" + M + "|2016-10-14T05:02:16.645Z",
                "sent|-|recipient@example.com|" + M + "|2016-10-14T05:02:16.645Z",
                "rejected|-|sender@example.com|" + M + "|2016-10-14T17:38:15.211Z",
                "delivered|-|recipient@example.com|" + M + "|2016-10-19T23:21:04.133Z",
                // a bounce fans out to its bouncedRecipients only, not to every destination
                "bounced|soft|first.person@example.com|EXAMPLE-multi-000000|2017-08-05T00:41:02.669Z",
                "bounced|soft|second@example.com|EXAMPLE-multi-000000|2017-08-05T00:41:02.669Z",
                "complained|-|recipient@example.com|" + M + "|2017-08-05T00:41:02.669Z",
                "bounced|hard|recipient@example.com|" + M + "|2017-08-05T00:41:02.669Z",
                "opened|-|recipient@example.com|" + M + "|2017-08-09T22:00:19.652Z",
                "clicked|-|recipient@example.com|" + M + "|2017-08-09T23:51:25.570Z",
                "failed|-|recipient@example.com|" + M + "|2018-01-22T18:43:06.197Z",
                "deferred|-|recipient@example.com|" + M + "|2020-06-16T00:25:40.095Z",
                "unsubscribed|-|recipient@example.com|EXAMPLEe4bccf770-0b1d8e4f-6b72-4f21-a6b6-1a2b3c4d5e6f-000000"
                        + "|2022-01-12T01:00:17.910Z");
        List<JsonNode> events = storedEvents();
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("clicked")).singleElement().satisfies(e ->
                assertThat(e.get("url").asText()).isEqualTo(
                        "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html?utm_source=ses&q=a%20b"));
    }

    @Test
    void a_redelivered_notification_is_stored_once() {
        SnsEnvelope e = notification(resource("bounce-multi").replace("EXAMPLE-multi-000000", "redelivered-000000"))
                .signedWith(keys.valid.privateKey());
        assertThat(post(e).body()).isEqualTo("{\"accepted\":2,\"duplicates\":0}");
        assertThat(post(e).body()).isEqualTo("{\"accepted\":0,\"duplicates\":2}");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void a_subscription_confirmation_is_answered_200_and_stores_nothing_when_auto_confirm_is_off() {
        SnsEnvelope e = SnsEnvelope.confirmation("SubscriptionConfirmation", Instant.now().minusSeconds(5))
                .signedWith(keys.valid.privateKey());
        HttpResponse<String> r = post(e);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_a_tampered_message_another_key_or_a_missing_signature_with_401() {
        SnsEnvelope tampered = notification(resource("delivery")).signedWith(keys.valid.privateKey());
        tampered.set("Message", tampered.get("Message").replace("recipient@example.com", "attacker@example.com"));
        assertThat(post(tampered).statusCode()).isEqualTo(401);
        assertThat(post(notification(resource("delivery")).signedWith(keys.stranger)).statusCode()).isEqualTo(401);
        assertThat(post(notification(resource("delivery")).remove("Signature")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_stale_and_future_timestamps_with_401() {
        SnsEnvelope stale = SnsEnvelope.notification(resource("delivery"), Instant.now().minusSeconds(7200))
                .set("MessageId", UUID.randomUUID().toString()).signedWith(keys.valid.privateKey());
        SnsEnvelope future = SnsEnvelope.notification(resource("delivery"), Instant.now().plusSeconds(7200))
                .set("MessageId", UUID.randomUUID().toString()).signedWith(keys.valid.privateKey());
        assertThat(post(stale).statusCode()).isEqualTo(401);
        assertThat(post(future).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_a_topic_that_is_not_allowed_with_401() {
        SnsEnvelope e = notification(resource("delivery")).set("TopicArn", "arn:aws:sns:us-east-1:999999999999:evil")
                .signedWith(keys.valid.privateKey());
        HttpResponse<String> r = post(e);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("TopicArn");
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_certificate_urls_off_sns_hosts_or_not_https_with_401() {
        for (String url : List.of("http://sns.us-east-1.amazonaws.com/" + SnsEnvelope.CERT_NAME,
                "https://evil.example.com/" + SnsEnvelope.CERT_NAME,
                "https://sns.us-east-1.amazonaws.com.evil.example.com/" + SnsEnvelope.CERT_NAME,
                "https://s3.amazonaws.com/bucket/" + SnsEnvelope.CERT_NAME,
                "https://sns.us-east-1.amazonaws.com/cert.txt")) {
            SnsEnvelope e = notification(resource("delivery")).set("SigningCertURL", url).signedWith(keys.valid.privateKey());
            HttpResponse<String> r = post(e);
            assertThat(r.statusCode()).as(url).isEqualTo(401);
            assertThat(r.body()).as(url).contains("SigningCertURL");
        }
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_a_malformed_body_and_415_to_another_content_type() {
        assertThat(hub.post("/webhooks/ses", "text/plain; charset=UTF-8", utf8("{\"Type\":")).statusCode()).isEqualTo(400);
        assertThat(hub.post("/webhooks/ses", "text/plain; charset=UTF-8", utf8("{\"Type\":\"Notification\"}")).statusCode())
                .isEqualTo(400);
        SnsEnvelope e = notification(resource("delivery")).signedWith(keys.valid.privateKey());
        assertThat(hub.post("/webhooks/ses", "application/xml", e.body()).statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private SnsEnvelope notification(String sesEvent) {
        return SnsEnvelope.notification(sesEvent, Instant.now().minusSeconds(5)).set("MessageId", UUID.randomUUID().toString());
    }

    private HttpResponse<String> post(SnsEnvelope e) {
        return hub.post("/webhooks/ses", "text/plain; charset=UTF-8", e.body(),
                "x-amz-sns-message-type", e.get("Type"), "x-amz-sns-message-id", e.get("MessageId"),
                "x-amz-sns-topic-arn", e.get("TopicArn"));
    }


    private static String resource(String name) {
        try (InputStream in = SesHttpTest.class.getResourceAsStream("/ses/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
