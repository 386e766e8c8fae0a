package com.emaileventhub.esp.mailgun;

import com.emaileventhub.event.Json;
import com.emaileventhub.verify.Hmac;
import com.emaileventhub.verify.TimeWindow;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mailgun's in-body signature: hex HMAC-SHA256 of {@code timestamp ‖ token} under the HTTP
 * webhook signing key. It does not cover {@code event-data}, so the token is handed to the
 * journal as single-use (a replayed token is refused there) and the timestamp must be recent.
 */
public final class MailgunVerifier implements Verifier {
    static final Duration DEFAULT_TOLERANCE = Duration.ofDays(1);

    public MailgunVerifier() {
    }

    @Override
    public void verify(WebhookRequest request) {
        List<byte[]> keys = request.settings().secrets("signing-key").stream()
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        if (keys.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no Mailgun signing key is configured");
        }
        request.requireMediaType("application/json");
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw WebhookRejection.badRequest("$: expected Mailgun's {signature, event-data} object");
        }
        JsonNode block = body.get("signature");
        if (block == null || !block.isObject()) {
            // the signature lives in the body: a parseable body without it is unsigned (401), as a missing header is
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS,
                    "$.signature: missing or not an object; expected Mailgun's {signature, event-data} body");
        }
        String timestamp = Json.text(block, "timestamp");
        String token = Json.text(block, "token");
        String signature = Json.text(block, "signature");
        if (signature == null || signature.isBlank()) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "signature.signature is missing");
        }
        Instant signedAt = TimeWindow.epochSeconds(timestamp, "signature.timestamp");
        if (token == null || token.isBlank()) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "signature.token is missing");
        }
        byte[] signed = (timestamp + token).getBytes(StandardCharsets.UTF_8);
        if (!Hmac.matchesAny(Hmac.Algorithm.SHA256, keys, signed, signature, Hmac.Encoding.HEX)) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "Mailgun signature does not match");
        }
        TimeWindow.check(signedAt, request.settings().duration("tolerance", DEFAULT_TOLERANCE), request.receivedAt(),
                "signature.timestamp");
        request.replayToken(token);
    }
}
