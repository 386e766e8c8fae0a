package com.emaileventhub.esp.sendgrid;

import static com.emaileventhub.esp.Requests.assertRejected;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.support.Signing;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SendGridVerifierTest {
    private static final Instant NOW = Instant.parse("2024-03-04T12:00:00Z");
    private static final KeyPair KEY = Signing.ecKeyPair();
    private static final KeyPair OTHER_KEY = Signing.ecKeyPair();
    private static final String BODY = SendGridPayloads.batch(SendGridPayloads.ALL);

    private final SendGridVerifier verifier = new SendGridVerifier();

    @Test
    void accepts_a_batch_signed_over_timestamp_and_exact_body_with_trailing_crlf() {
        assertThatCode(() -> verifier.verify(signed(KEY, NOW, BODY, publicKey(KEY)))).doesNotThrowAnyException();
    }

    @Test
    void accepts_a_non_ascii_body_signed_over_its_utf8_bytes() {
        String body = SendGridPayloads.batch("""
                {"email":"jörg@exämple.de","timestamp":1513299569,"event":"processed","note":"grüße ✓"}""");
        assertThatCode(() -> verifier.verify(signed(KEY, NOW, body, publicKey(KEY)))).doesNotThrowAnyException();
    }

    /** The vector of SendGrid's own SDK tests (sendgrid-nodejs packages/eventwebhook). */
    @Test
    void accepts_the_vector_published_in_sendgrids_sdk_tests_and_rejects_its_altered_forms() {
        String key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
        String signature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
        String payload = "{\"category\":\"example_payload\",\"event\":\"test_event\",\"message_id\":\"message_id\"}";
        Requests vector = Requests.to("sendgrid").setting("public-key", key).json()
                .receivedAt(Instant.parse("2020-05-06T18:10:00Z"))
                .header(SendGridVerifier.SIGNATURE_HEADER, signature)
                .header(SendGridVerifier.TIMESTAMP_HEADER, "1588788367");
        assertThatCode(() -> verifier.verify(vector.body(payload))).doesNotThrowAnyException();
        assertRejected(() -> verifier.verify(vector.body("payload")), 401, "bad_signature");
        WebhookRequest otherSignature = vector.header(SendGridVerifier.SIGNATURE_HEADER,
                signature.replace("NH2j/0=", "NH3j/0=")).body(payload);
        assertRejected(() -> verifier.verify(otherSignature), 401, "bad_signature");
    }

    @Test
    void accepts_a_raw_r_s_signature_as_well_as_der() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(KEY.getPrivate());
        String ts = Long.toString(NOW.getEpochSecond());
        s.update((ts + BODY).getBytes(StandardCharsets.UTF_8));
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(s.sign()))
                .header(SendGridVerifier.TIMESTAMP_HEADER, ts)
                .body(BODY);
        assertThatCode(() -> verifier.verify(request)).doesNotThrowAnyException();
    }

    @Test
    void rejects_tampered_body() {
        WebhookRequest genuine = signed(KEY, NOW, BODY, publicKey(KEY));
        String tampered = BODY.replace("\"type\":\"bounce\"", "\"type\":\"blocked\"");
        WebhookRequest request = requestWith(genuine, tampered.getBytes(StandardCharsets.UTF_8));
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void rejects_body_without_the_trailing_crlf_that_was_signed() {
        WebhookRequest genuine = signed(KEY, NOW, BODY, publicKey(KEY));
        WebhookRequest request = requestWith(genuine, BODY.strip().getBytes(StandardCharsets.UTF_8));
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void rejects_signature_made_with_another_key() {
        assertRejected(() -> verifier.verify(signed(OTHER_KEY, NOW, BODY, publicKey(KEY))), 401, "bad_signature");
    }

    @Test
    void rejects_a_tampered_timestamp_header() {
        long ts = NOW.getEpochSecond();
        String signature = sign(KEY, ts + BODY);
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.SIGNATURE_HEADER, signature)
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(ts - 10))
                .body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void accepts_signature_from_the_second_of_two_rotated_keys() {
        String keys = publicKey(OTHER_KEY) + ", " + publicKey(KEY);
        assertThatCode(() -> verifier.verify(signed(KEY, NOW, BODY, keys))).doesNotThrowAnyException();
    }

    @Test
    void accepts_keys_configured_as_pem_including_escaped_newlines() {
        String pem = pem(KEY);
        assertThatCode(() -> verifier.verify(signed(KEY, NOW, BODY, pem))).doesNotThrowAnyException();
        String oneLine = pem(OTHER_KEY).replace("\n", "\\n") + "," + pem;
        assertThatCode(() -> verifier.verify(signed(KEY, NOW, BODY, oneLine))).doesNotThrowAnyException();
    }

    @Test
    void rejects_missing_signature_header() {
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(NOW.getEpochSecond()))
                .body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "missing_credentials");
    }

    @Test
    void rejects_missing_timestamp_header() {
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.SIGNATURE_HEADER, sign(KEY, NOW.getEpochSecond() + BODY))
                .body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "missing_credentials");
    }

    @Test
    void rejects_signature_that_is_not_base64() {
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.SIGNATURE_HEADER, "not base64 at all!")
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(NOW.getEpochSecond()))
                .body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void rejects_stale_timestamp_beyond_the_default_day() {
        Instant signedAt = NOW.minus(Duration.ofDays(1)).minusSeconds(1);
        assertRejected(() -> verifier.verify(signed(KEY, signedAt, BODY, publicKey(KEY))), 401, "stale_timestamp");
    }

    @Test
    void accepts_timestamp_just_inside_the_default_day() {
        Instant signedAt = NOW.minus(Duration.ofDays(1)).plusSeconds(1);
        assertThatCode(() -> verifier.verify(signed(KEY, signedAt, BODY, publicKey(KEY)))).doesNotThrowAnyException();
    }

    @Test
    void rejects_future_timestamp_beyond_the_tolerance() {
        Instant signedAt = NOW.plus(Duration.ofDays(1)).plusSeconds(1);
        assertRejected(() -> verifier.verify(signed(KEY, signedAt, BODY, publicKey(KEY))), 401, "future_timestamp");
    }

    @Test
    void honours_a_configured_tolerance() {
        Instant signedAt = NOW.minusSeconds(301);
        long ts = signedAt.getEpochSecond();
        WebhookRequest request = base(publicKey(KEY)).setting("tolerance", "PT5M")
                .header(SendGridVerifier.SIGNATURE_HEADER, sign(KEY, ts + BODY))
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(ts))
                .body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "stale_timestamp");
    }

    @Test
    void fails_closed_when_no_key_is_configured() {
        WebhookRequest request = Requests.to("sendgrid").json()
                .header(SendGridVerifier.SIGNATURE_HEADER, sign(KEY, NOW.getEpochSecond() + BODY))
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(NOW.getEpochSecond()))
                .receivedAt(NOW).body(BODY);
        assertRejected(() -> verifier.verify(request), 401, "not_configured");
    }

    @Test
    void rejects_bad_signature_with_401_even_when_body_is_not_json() {
        WebhookRequest request = base(publicKey(KEY))
                .header(SendGridVerifier.SIGNATURE_HEADER, sign(OTHER_KEY, NOW.getEpochSecond() + "{not json"))
                .header(SendGridVerifier.TIMESTAMP_HEADER, Long.toString(NOW.getEpochSecond()))
                .body("{not json");
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void reports_an_unparsable_key_setting_by_its_name_without_echoing_it() {
        assertThatThrownBy(() -> verifier.verify(signed(KEY, NOW, BODY, "bm90IGEga2V5")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.esp.sendgrid.public-key")
                .hasMessageNotContaining("bm90IGEga2V5");
    }

    @Test
    void verifier_is_safe_to_share_between_concurrent_requests() {
        WebhookRequest good = signed(KEY, NOW, BODY, publicKey(KEY));
        WebhookRequest bad = signed(OTHER_KEY, NOW, BODY, publicKey(KEY));
        IntStream.range(0, 200).parallel().forEach(i -> {
            if (i % 2 == 0) {
                verifier.verify(good);
            } else {
                assertRejected(() -> verifier.verify(bad), 401, "bad_signature");
            }
        });
    }

    private static Requests base(String publicKey) {
        return Requests.to("sendgrid").setting("public-key", publicKey)
                .header("Content-Type", "application/json;charset=utf-8").receivedAt(NOW);
    }

    private static WebhookRequest signed(KeyPair signer, Instant at, String body, String configuredKeys) {
        String ts = Long.toString(at.getEpochSecond());
        return base(configuredKeys)
                .header(SendGridVerifier.SIGNATURE_HEADER, sign(signer, ts + body))
                .header(SendGridVerifier.TIMESTAMP_HEADER, ts)
                .body(body);
    }

    private static WebhookRequest requestWith(WebhookRequest headersOf, byte[] body) {
        return new WebhookRequest("sendgrid", body, headersOf.headers(), headersOf.settings(), headersOf.receivedAt());
    }

    static String sign(KeyPair key, String data) {
        return Signing.ecdsa(key.getPrivate(), data.getBytes(StandardCharsets.UTF_8));
    }

    static String publicKey(KeyPair key) {
        return Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
