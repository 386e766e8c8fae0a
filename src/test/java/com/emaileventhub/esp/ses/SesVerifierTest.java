package com.emaileventhub.esp.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SesVerifierTest {
    private static final String PEM = "SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
    private static final String SES_EVENT = "{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"m-1\","
            + "\"destination\":[\"a@example.com\"]},\"delivery\":{\"timestamp\":\"2026-01-01T00:00:00.000Z\"}}";

    private final SnsTestKeys keys = SnsTestKeys.get();
    /** Taken after the test certificates exist, so that they are already valid. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final RecordingFetcher network = new RecordingFetcher();
    private final SesVerifier verifier = new SesVerifier(network);
    private final Map<String, String> settings = new HashMap<>();

    @TempDir
    Path certificates;

    @BeforeEach
    void trustTheTestCertificate() throws IOException {
        keys.valid.writeTo(certificates, SnsEnvelope.CERT_NAME);
        settings.put("hub.esp.ses.topic-arns", "arn:aws:sns:eu-west-1:123456789012:other, " + SnsEnvelope.TOPIC);
        settings.put("hub.esp.ses.certificate-dir", certificates.toString());
    }

    private SnsEnvelope notification() {
        return SnsEnvelope.notification(SES_EVENT, now.minusSeconds(5));
    }

    private WebhookRequest request(SnsEnvelope envelope) {
        return envelope.request(settings, now);
    }

    private static void assertRejected(ThrowingCallable call, int status, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WebhookRejection.class, r -> {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.getMessage()).contains(messagePart);
        });
    }

    @Test
    void accepts_a_notification_signed_with_signature_version_1() {
        assertThatCode(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey()))))
                .doesNotThrowAnyException();
        assertThat(network.calls).isEmpty();
    }

    @Test
    void accepts_a_notification_signed_with_signature_version_2() {
        SnsEnvelope envelope = notification().set("SignatureVersion", "2").signedWith(keys.valid.privateKey());
        assertThatCode(() -> verifier.verify(request(envelope))).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_version_1_signature_presented_as_version_2() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey()).set("SignatureVersion", "2");
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
    }

    @Test
    void accepts_a_notification_with_a_subject_which_is_then_signed_too() {
        SnsEnvelope envelope = notification().set("Subject", "Amazon SES Email Event Notification")
                .signedWith(keys.valid.privateKey());
        assertThatCode(() -> verifier.verify(request(envelope))).doesNotThrowAnyException();

        envelope.remove("Subject");
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
        envelope.set("Subject", "Something else");
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
    }

    @Test
    void rejects_a_subject_added_after_signing_with_401() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey()).set("Subject", "added");
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
    }

    @Test
    void verifies_over_json_decoded_values_whatever_escapes_the_body_uses() {
        String message = "{\"eventType\":\"Send\",\"note\":\"caf\u00e9 \u2028 line\\nbreak \\\"quoted\\\" </tag>\"}";
        SnsEnvelope envelope = notification().set("Message", message).set("Subject", "Gr\u00fc\u00dfe")
                .signedWith(keys.valid.privateKey());
        String escaped = new String(envelope.body(), StandardCharsets.UTF_8)
                .replace("\u00e9", "\\u00e9").replace("\u00fc", "\\u00FC").replace("/", "\\/");
        WebhookRequest request = envelope.request(escaped.getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8",
                settings, now);
        assertThatCode(() -> verifier.verify(request)).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_tampered_message_with_401() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey());
        envelope.set("Message", envelope.get("Message").replace("a@example.com", "b@example.com"));
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
        // labelled as every other vendor's bad signature
        assertThatThrownBy(() -> verifier.verify(request(envelope))).isInstanceOfSatisfying(WebhookRejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE));
    }

    @Test
    void rejects_a_tampered_topic_even_when_it_is_allowed_too() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey())
                .set("TopicArn", "arn:aws:sns:eu-west-1:123456789012:other");
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
    }

    @Test
    void rejects_a_signature_made_with_another_key_with_401() {
        SnsEnvelope envelope = notification().signedWith(keys.stranger);
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
    }

    @Test
    void rejects_a_missing_or_garbled_signature_with_401() {
        assertRejected(() -> verifier.verify(request(notification().remove("Signature"))), 401, "Signature");
        assertRejected(() -> verifier.verify(request(notification().set("Signature", "%%%not base64"))), 401,
                "Signature");
        assertRejected(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey())
                .remove("SignatureVersion"))), 401, "SignatureVersion");
    }

    @Test
    void rejects_an_unsupported_signature_version_with_401() {
        SnsEnvelope envelope = notification().set("SignatureVersion", "3").signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "SignatureVersion");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://sns.us-east-1.amazonaws.com/" + PEM,
            "https://sns.us-east-1.amazonaws.com.evil.example/" + PEM,
            "https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/" + PEM,
            "https://evil.example/" + PEM,
            "https://sns.us.amazonaws.com/" + PEM,
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.txt",
            "https://sns.us-east-1.amazonaws.com/" + PEM + "?x=1",
            "https://sns.us-east-1.amazonaws.com/",
            "https://user:pw@sns.us-east-1.amazonaws.com/" + PEM,
            "https://sns.us-east-1.amazonaws.com@evil.example/" + PEM,
            "https://sns.us-east-1.amazonaws.com:8443/" + PEM,
            "file:///etc/" + PEM,
            "not a url at all"})
    void rejects_an_untrusted_signing_cert_url_with_401_before_fetching_anything(String url) {
        settings.remove("hub.esp.ses.certificate-dir");
        SnsEnvelope envelope = notification().set("SigningCertURL", url).signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "SigningCertURL");
        assertThat(network.calls).isEmpty();
    }

    @Test
    void accepts_china_and_govcloud_sns_hosts() {
        for (String host : new String[] {"sns.cn-north-1.amazonaws.com.cn", "sns.us-gov-west-1.amazonaws.com"}) {
            assertThat(SnsUrls.signingCertificate("https://" + host + "/" + SnsEnvelope.CERT_NAME).getHost())
                    .isEqualTo(host);
        }
    }

    @Test
    void rejects_a_topic_that_is_not_allowed_with_401_without_fetching() {
        settings.remove("hub.esp.ses.certificate-dir");
        SnsEnvelope envelope = notification().set("TopicArn", "arn:aws:sns:us-east-1:999999999999:someone-else")
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "TopicArn");
        assertThat(network.calls).isEmpty();
    }

    @Test
    void rejects_every_topic_when_none_is_configured() {
        settings.remove("hub.esp.ses.topic-arns");
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "no SNS topic");
    }

    @Test
    void rejects_a_timestamp_older_than_the_default_hour_with_401() {
        SnsEnvelope envelope = SnsEnvelope.notification(SES_EVENT, now.minusSeconds(3601))
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "Timestamp");
    }

    @Test
    void accepts_an_sns_retry_within_the_hour_because_retries_keep_the_original_timestamp() {
        SnsEnvelope envelope = SnsEnvelope.notification(SES_EVENT, now.minusSeconds(3500))
                .signedWith(keys.valid.privateKey());
        assertThatCode(() -> verifier.verify(request(envelope))).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_timestamp_from_the_future_with_401() {
        SnsEnvelope envelope = SnsEnvelope.notification(SES_EVENT, now.plusSeconds(3700))
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "future");
    }

    @Test
    void honours_a_configured_tolerance() {
        settings.put("hub.esp.ses.tolerance", "PT5M");
        SnsEnvelope envelope = SnsEnvelope.notification(SES_EVENT, now.minusSeconds(600))
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "PT5M");
    }

    @Test
    void rejects_a_certificate_outside_its_validity_dates_with_401() throws IOException {
        keys.expired.writeTo(certificates, SnsEnvelope.CERT_NAME);
        SnsEnvelope envelope = notification().signedWith(keys.expired.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "expired");
    }

    @Test
    void fetches_a_certificate_missing_from_the_folder_once_and_caches_it() {
        settings.remove("hub.esp.ses.certificate-dir");
        network.answering(uri -> new SnsFetcher.Response(200, keys.valid.pem().getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < 3; i++) {
            verifier.verify(request(notification().signedWith(keys.valid.privateKey())));
        }
        assertThat(network.calls).containsExactly(URI.create(SnsEnvelope.CERT_URL));
    }

    @Test
    void rejects_with_401_when_the_certificate_url_does_not_serve_a_certificate() {
        settings.remove("hub.esp.ses.certificate-dir");
        network.answering(uri -> new SnsFetcher.Response(404, "<Error/>".getBytes()));
        assertRejected(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey()))), 401,
                "HTTP 404");
        network.answering(uri -> new SnsFetcher.Response(200, "not a certificate".getBytes()));
        assertRejected(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey()))), 401,
                "certificate");
    }

    @Test
    void rejects_with_401_when_the_sns_looking_host_does_not_exist() {
        settings.remove("hub.esp.ses.certificate-dir");
        network.answering(uri -> {
            throw new ConnectException("unresolved") {
                {
                    initCause(new UnknownHostException(uri.getHost()));
                }
            };
        });
        assertRejected(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey()))), 401,
                "does not resolve");
    }

    @Test
    void answers_503_when_sns_cannot_be_reached_so_that_sns_retries() {
        settings.remove("hub.esp.ses.certificate-dir");
        network.answering(uri -> {
            throw new HttpTimeoutException("request timed out");
        });
        assertRejected(() -> verifier.verify(request(notification().signedWith(keys.valid.privateKey()))), 503,
                "try again");
    }

    @Test
    void confirms_a_subscription_of_an_allowed_topic_when_auto_confirm_is_on() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey());
        verifier.verify(request(envelope));
        assertThat(network.calls).containsExactly(URI.create(SnsEnvelope.SUBSCRIBE_URL));
    }

    @Test
    void confirms_subscriptions_of_topics_with_signature_version_2() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .set("SignatureVersion", "2").signedWith(keys.valid.privateKey());
        verifier.verify(request(envelope));
        assertThat(network.calls).containsExactly(URI.create(SnsEnvelope.SUBSCRIBE_URL));
    }

    @Test
    void does_not_confirm_when_auto_confirm_is_off() {
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey());
        verifier.verify(request(envelope));
        settings.put("hub.esp.ses.auto-confirm", "false");
        verifier.verify(request(envelope));
        assertThat(network.calls).isEmpty();
    }

    @Test
    void does_not_confirm_a_subscription_of_a_topic_that_is_not_allowed() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        settings.put("hub.esp.ses.topic-arns", "arn:aws:sns:eu-west-1:123456789012:other");
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "TopicArn");
        assertThat(network.calls).isEmpty();
    }

    @Test
    void does_not_confirm_a_tampered_subscribe_url() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey())
                .set("SubscribeURL", SnsEnvelope.SUBSCRIBE_URL.replace("Token=", "Token=x"));
        assertRejected(() -> verifier.verify(request(envelope)), 401, "signature");
        assertThat(network.calls).isEmpty();
    }

    @Test
    void does_not_visit_a_signed_subscribe_url_outside_sns() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .set("SubscribeURL", "https://attacker.example/?Action=ConfirmSubscription")
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 401, "SubscribeURL");
        assertThat(network.calls).isEmpty();
    }

    @Test
    void answers_503_when_the_confirmation_cannot_reach_sns() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        network.answering(uri -> {
            throw new ConnectException("connection refused");
        });
        SnsEnvelope envelope = SnsEnvelope.confirmation("SubscriptionConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey());
        assertRejected(() -> verifier.verify(request(envelope)), 503, "could not be confirmed");
    }

    @Test
    void accepts_an_unsubscribe_confirmation_without_calling_anything() {
        settings.put("hub.esp.ses.auto-confirm", "true");
        SnsEnvelope envelope = SnsEnvelope.confirmation("UnsubscribeConfirmation", now.minusSeconds(2))
                .signedWith(keys.valid.privateKey());
        assertThatCode(() -> verifier.verify(request(envelope))).doesNotThrowAnyException();
        assertThat(network.calls).isEmpty();
    }

    @Test
    void rejects_a_body_that_is_not_json_with_400() {
        SnsEnvelope envelope = notification();
        assertRejected(() -> verifier.verify(envelope.request("Type=Notification".getBytes(), "text/plain", settings,
                now)), 400, "JSON");
        assertRejected(() -> verifier.verify(envelope.request("[1,2]".getBytes(), "text/plain", settings, now)), 400,
                "JSON object");
        assertRejected(() -> verifier.verify(envelope.request(new byte[0], "text/plain", settings, now)), 400,
                "empty");
    }

    @Test
    void rejects_an_envelope_without_its_required_fields_with_400_naming_the_field() {
        for (String field : new String[] {"Type", "MessageId", "TopicArn", "Message", "Timestamp"}) {
            SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey()).remove(field);
            assertRejected(() -> verifier.verify(request(envelope)), 400, "'" + field + "'");
        }
        SnsEnvelope confirmation = SnsEnvelope.confirmation("SubscriptionConfirmation", now).remove("SubscribeURL");
        assertRejected(() -> verifier.verify(request(confirmation)), 400, "'SubscribeURL'");
    }

    @Test
    void rejects_an_unknown_message_type_or_a_non_string_field_with_400() {
        assertRejected(() -> verifier.verify(request(notification().set("Type", "Telegram"))), 400, "'Type'");
        byte[] body = ("{\"Type\":\"Notification\",\"MessageId\":\"x\",\"TopicArn\":\"" + SnsEnvelope.TOPIC + "\","
                + "\"Message\":{\"eventType\":\"Send\"},\"Timestamp\":\"" + now + "\"}").getBytes();
        assertRejected(() -> verifier.verify(notification().request(body, "text/plain", settings, now)), 400,
                "'Message' must be a string");
        assertRejected(() -> verifier.verify(request(notification().set("Timestamp", "yesterday"))), 400,
                "'Timestamp'");
    }

    @Test
    void rejects_headers_that_contradict_the_body_with_400() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey());
        WebhookRequest request = envelope.request(settings, now);
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put("x-amz-sns-message-type", "SubscriptionConfirmation");
        WebhookRequest mismatched = new WebhookRequest("ses", request.body(), headers, request.settings(), now);
        assertRejected(() -> verifier.verify(mismatched), 400, "x-amz-sns-message-type");
    }

    @Test
    void accepts_text_plain_and_application_json_and_nothing_else() {
        SnsEnvelope envelope = notification().signedWith(keys.valid.privateKey());
        assertThatCode(() -> verifier.verify(envelope.request(envelope.body(), "application/json", settings, now)))
                .doesNotThrowAnyException();
        assertRejected(() -> verifier.verify(envelope.request(envelope.body(), "application/x-www-form-urlencoded",
                settings, now)), 415, "content type");
        assertRejected(() -> verifier.verify(envelope.request(envelope.body(), null, settings, now)), 415,
                "content type");
    }
}
