package com.emaileventhub.esp.declared;

import static com.emaileventhub.esp.Requests.assertRejected;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.verify.Hmac;
import com.emaileventhub.verify.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeclaredVerifierTest {
    private static final Instant NOW = Instant.parse("2024-03-04T12:00:00Z");

    private static DeclaredVerifier verifier(String scheme, String header, String prefix, String encoding) {
        DeclaredVerifier v = new DeclaredVerifier();
        v.setVerification(scheme);
        v.setSignatureHeader(header);
        v.setSignaturePrefix(prefix);
        v.setSignatureEncoding(encoding);
        v.init();
        return v;
    }

    @Test
    void verifies_githubs_documented_hmac_sha256_vector_with_a_prefix() {
        // docs.github.com "Validating webhook deliveries": secret, payload and the X-Hub-Signature-256 it gives
        DeclaredVerifier v = verifier("hmac-sha256", "X-Hub-Signature-256", "sha256=", "hex");
        String signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThatCode(() -> v.verify(Requests.to("gh").setting("secret", "It's a Secret to Everybody")
                .header("X-Hub-Signature-256", signature).body("Hello, World!"))).doesNotThrowAnyException();
        assertRejected(() -> v.verify(Requests.to("gh").setting("secret", "It's a Secret to Everybody")
                .header("X-Hub-Signature-256", signature).body("Hello, World?")), 401, "bad_signature");
        assertRejected(() -> v.verify(Requests.to("gh").setting("secret", "It's a Secret to Everybody")
                .header("X-Hub-Signature-256", signature.substring(7)).body("Hello, World!")), 401, "bad_signature");
    }

    @Test
    void fails_closed_without_a_secret_and_names_the_key() {
        DeclaredVerifier v = verifier("hmac-sha1", "X-Sig", "", "base64");
        assertThatThrownBy(() -> v.verify(Requests.to("acme").header("X-Sig", "x").body("{}")))
                .hasMessageContaining("hub.esp.acme.secret");
        assertRejected(() -> v.verify(Requests.to("acme").header("X-Sig", "x").body("{}")), 401, "not_configured");
    }

    @Test
    void reads_base64_and_hex_secrets_as_declared() {
        byte[] key = {1, 2, 3, (byte) 250};
        String body = "{\"a\":1}";
        String sig = Base64.getEncoder().encodeToString(Hmac.compute(
                Hmac.Algorithm.SHA1, key, body.getBytes(StandardCharsets.UTF_8)));
        for (String[] enc : new String[][] {{"base64", Base64.getEncoder().encodeToString(key)}, {"hex", "010203fa"}}) {
            DeclaredVerifier v = verifier("hmac-sha1", "X-Sig", "", "base64");
            v.setSecretEncoding(enc[0]);
            assertThatCode(() -> v.verify(Requests.to("acme").setting("secret", enc[1]).header("X-Sig", sig).body(body)))
                    .as(enc[0]).doesNotThrowAnyException();
        }
    }

    @Test
    void checks_the_declared_timestamp_both_ways() {
        DeclaredVerifier v = new DeclaredVerifier();
        v.setVerification("hmac-sha256");
        v.setSignatureHeader("X-Sig");
        v.setSignedContent("{timestamp}:{body}");
        v.setTimestampHeader("X-Ts");
        v.setTolerance("PT1M");
        v.init();
        for (long offset : new long[] {-61, 61}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            String sig = Hmac.encode(Hmac.compute(
                    Hmac.Algorithm.SHA256, "k".getBytes(StandardCharsets.UTF_8),
                    (ts + ":{}").getBytes(StandardCharsets.UTF_8)), Hmac.Encoding.HEX);
            assertRejected(() -> v.verify(Requests.to("acme").setting("secret", "k").receivedAt(NOW)
                    .header("X-Sig", sig).header("X-Ts", ts).body("{}")), 401, offset < 0 ? "stale_timestamp" : "future_timestamp");
        }
        assertRejected(() -> v.verify(Requests.to("acme").setting("secret", "k").receivedAt(NOW)
                .header("X-Sig", "00").body("{}")), 401, "missing_credentials");
    }

    @Test
    void delegates_standard_webhooks_with_the_vendors_secret() {
        DeclaredVerifier v = verifier("standard-webhooks", null, null, null);
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String ts = Long.toString(NOW.getEpochSecond());
        String sig = StandardWebhooks.sign(secret, "msg_1", ts, "{}".getBytes(StandardCharsets.UTF_8));
        assertThatCode(() -> v.verify(Requests.to("sw").setting("secret", secret).receivedAt(NOW)
                .header("webhook-id", "msg_1").header("webhook-timestamp", ts).header("webhook-signature", sig).body("{}")))
                .doesNotThrowAnyException();
    }

    @Test
    void refuses_declarations_that_cannot_work() {
        assertThatThrownBy(() -> new DeclaredVerifier().setVerification("md5")).hasMessageContaining("verification");
        assertThatThrownBy(() -> verifier("hmac-sha256", null, "", "hex")).hasMessageContaining("signatureHeader");
        assertThatThrownBy(() -> new DeclaredVerifier().setSignedContent("{nonce}{body}")).hasMessageContaining("{nonce}");
        assertThatThrownBy(() -> new DeclaredVerifier().setTolerance("5 minutes")).hasMessageContaining("tolerance");
        DeclaredVerifier v = new DeclaredVerifier();
        v.setVerification("hmac-sha256");
        v.setSignatureHeader("X-Sig");
        v.setSignedContent("{timestamp}.{body}");
        assertThatThrownBy(v::init).hasMessageContaining("timestampHeader");
    }
}
