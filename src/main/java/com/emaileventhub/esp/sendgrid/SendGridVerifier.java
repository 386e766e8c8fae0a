package com.emaileventhub.esp.sendgrid;

import com.emaileventhub.verify.Ecdsa;
import com.emaileventhub.verify.TimeWindow;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * SendGrid's Signed Event Webhook: ECDSA P-256 / SHA-256 over the timestamp header's bytes
 * followed by the exact raw body (trailing CRLF included), checked against every configured
 * {@code public-key}. SendGrid documents no freshness window; retries may carry the first
 * signature, hence the wide default tolerance.
 */
public final class SendGridVerifier implements Verifier {
    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    static final Duration DEFAULT_TOLERANCE = Duration.ofDays(1);

    public SendGridVerifier() {
    }

    @Override
    public void verify(WebhookRequest request) {
        var settings = request.settings();
        String keySetting = settings.get("public-key");
        if (keySetting == null) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no SendGrid verification key is configured");
        }
        List<PublicKey> keys = keys(keySetting, settings.key("public-key"));

        String signature = request.header(SIGNATURE_HEADER);
        if (signature == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, SIGNATURE_HEADER + " header is missing");
        }
        String timestamp = request.header(TIMESTAMP_HEADER);
        Instant signedAt = TimeWindow.epochSeconds(timestamp, TIMESTAMP_HEADER);

        byte[] presented = decode(signature);
        if (!Ecdsa.verifiesAny(keys, presented, timestamp.getBytes(StandardCharsets.UTF_8), request.body())) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "SendGrid signature does not match the body");
        }
        TimeWindow.check(signedAt, settings.duration("tolerance", DEFAULT_TOLERANCE), request.receivedAt(),
                TIMESTAMP_HEADER);
    }

    private static List<PublicKey> keys(String setting, String keyName) {
        try {
            return Ecdsa.publicKeys(setting, keyName);
        } catch (IllegalArgumentException e) {
            // start-up validation should have caught this; failing loudly makes SendGrid retry once it is fixed
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static byte[] decode(String signature) {
        try {
            return Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, SIGNATURE_HEADER + " is not valid base64");
        }
    }
}
