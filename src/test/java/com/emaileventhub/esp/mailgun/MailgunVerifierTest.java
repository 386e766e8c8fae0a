package com.emaileventhub.esp.mailgun;

import static com.emaileventhub.esp.Requests.assertRejected;
import static com.emaileventhub.esp.mailgun.MailgunPayloads.KEY;
import static com.emaileventhub.esp.mailgun.MailgunPayloads.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MailgunVerifierTest {
    private static final Instant NOW = Instant.parse("2024-03-04T12:00:00Z");
    private static final String TS = Long.toString(NOW.getEpochSecond());

    private final MailgunVerifier verifier = new MailgunVerifier();

    @Test
    void accepts_a_correctly_signed_event_and_hands_its_token_to_the_journal() {
        WebhookRequest request = request(KEY, MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, TS, TOKEN));
        verifier.verify(request);
        assertThat(request.replayToken()).isEqualTo(TOKEN);
    }

    @Test
    void accepts_a_numeric_timestamp_in_the_signature_block() {
        String sig = MailgunPayloads.sign(KEY, TS, TOKEN);
        String body = "{\"signature\":{\"timestamp\":" + TS + ",\"token\":\"" + TOKEN + "\",\"signature\":\"" + sig
                + "\"},\"event-data\":" + MailgunPayloads.OPENED + "}";
        assertThatCode(() -> verifier.verify(request(KEY, body))).doesNotThrowAnyException();
    }

    @Test
    void accepts_signature_under_the_second_of_two_rotated_keys() {
        String body = MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, TS, TOKEN);
        assertThatCode(() -> verifier.verify(request("key-old-0000000000000000000000000, " + KEY, body)))
                .doesNotThrowAnyException();
    }

    @Test
    void accepts_an_upper_case_hex_signature() {
        String sig = MailgunPayloads.sign(KEY, TS, TOKEN).toUpperCase();
        String body = MailgunPayloads.signedBody(MailgunPayloads.DELIVERED, TS, TOKEN, sig);
        assertThatCode(() -> verifier.verify(request(KEY, body))).doesNotThrowAnyException();
    }

    @Test
    void rejects_signature_made_with_another_key_and_records_no_token() {
        WebhookRequest request = request(KEY, MailgunPayloads.body(MailgunPayloads.DELIVERED, "some-other-key", TS, TOKEN));
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
        assertThat(request.replayToken()).isNull();
    }

    @Test
    void rejects_a_tampered_token() {
        String sig = MailgunPayloads.sign(KEY, TS, TOKEN);
        String body = MailgunPayloads.signedBody(MailgunPayloads.DELIVERED, TS, TOKEN.replace('a', 'b'), sig);
        assertRejected(() -> verifier.verify(request(KEY, body)), 401, "bad_signature");
    }

    @Test
    void rejects_a_tampered_timestamp() {
        String sig = MailgunPayloads.sign(KEY, TS, TOKEN);
        String body = MailgunPayloads.signedBody(MailgunPayloads.DELIVERED, Long.toString(NOW.getEpochSecond() - 1), TOKEN, sig);
        assertRejected(() -> verifier.verify(request(KEY, body)), 401, "bad_signature");
    }

    @Test
    void rejects_a_signature_that_is_not_hex() {
        String body = MailgunPayloads.signedBody(MailgunPayloads.DELIVERED, TS, TOKEN, "zz-not-hex");
        assertRejected(() -> verifier.verify(request(KEY, body)), 401, "bad_signature");
    }

    @Test
    void rejects_stale_and_future_timestamps_beyond_a_day() {
        String stale = Long.toString(NOW.minus(Duration.ofDays(1)).minusSeconds(1).getEpochSecond());
        assertRejected(() -> verifier.verify(request(KEY, MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, stale, TOKEN))),
                401, "stale_timestamp");
        String future = Long.toString(NOW.plus(Duration.ofDays(1)).plusSeconds(1).getEpochSecond());
        assertRejected(() -> verifier.verify(request(KEY, MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, future, TOKEN))),
                401, "future_timestamp");
    }

    @Test
    void honours_a_configured_tolerance() {
        String old = Long.toString(NOW.minusSeconds(301).getEpochSecond());
        WebhookRequest request = Requests.to("mailgun").setting("signing-key", KEY).setting("tolerance", "PT5M")
                .json().receivedAt(NOW).body(MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, old, TOKEN));
        assertRejected(() -> verifier.verify(request), 401, "stale_timestamp");
    }

    @Test
    void rejects_missing_signature_value_with_401() {
        String body = "{\"signature\":{\"timestamp\":\"" + TS + "\",\"token\":\"" + TOKEN + "\"},\"event-data\":"
                + MailgunPayloads.DELIVERED + "}";
        assertRejected(() -> verifier.verify(request(KEY, body)), 401, "missing_credentials");
    }

    @Test
    void rejects_missing_token_and_timestamp_with_401() {
        String noToken = "{\"signature\":{\"timestamp\":\"" + TS + "\",\"signature\":\"abcd\"},\"event-data\":{}}";
        assertRejected(() -> verifier.verify(request(KEY, noToken)), 401, "missing_credentials");
        String noTimestamp = "{\"signature\":{\"token\":\"" + TOKEN + "\",\"signature\":\"abcd\"},\"event-data\":{}}";
        assertRejected(() -> verifier.verify(request(KEY, noTimestamp)), 401, "missing_credentials");
    }

    @Test
    void rejects_an_object_without_the_signature_block_with_401_and_a_body_of_another_shape_with_400() {
        assertRejected(() -> verifier.verify(request(KEY, "{\"event-data\":" + MailgunPayloads.DELIVERED + "}")),
                401, "missing_credentials");
        assertRejected(() -> verifier.verify(request(KEY, "{\"signature\":[],\"event-data\":{}}")),
                401, "missing_credentials");
        assertRejected(() -> verifier.verify(request(KEY, "[]")), 400, "bad_request");
    }

    @Test
    void rejects_malformed_json_with_400() {
        assertRejected(() -> verifier.verify(request(KEY, "{\"signature\":")), 400, "bad_request");
        assertRejected(() -> verifier.verify(request(KEY, "")), 400, "bad_request");
    }

    @Test
    void rejects_legacy_form_posts_with_415() {
        WebhookRequest request = Requests.to("mailgun").setting("signing-key", KEY)
                .header("Content-Type", "application/x-www-form-urlencoded").receivedAt(NOW)
                .body("timestamp=" + TS + "&token=" + TOKEN + "&signature=" + MailgunPayloads.sign(KEY, TS, TOKEN));
        assertRejected(() -> verifier.verify(request), 415, "unsupported_media_type");
    }

    @Test
    void fails_closed_when_no_signing_key_is_configured() {
        WebhookRequest request = Requests.to("mailgun").json().receivedAt(NOW)
                .body(MailgunPayloads.body(MailgunPayloads.DELIVERED, KEY, TS, TOKEN));
        assertRejected(() -> verifier.verify(request), 401, "not_configured");
    }

    private static WebhookRequest request(String keys, String body) {
        return Requests.to("mailgun").setting("signing-key", keys).json().receivedAt(NOW).body(body);
    }
}
