package com.emaileventhub.esp.ses;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Turns a verified SNS message into canonical events. Only Notifications carry SES events: their
 * Message is a JSON string holding one SES event, which becomes one canonical event per recipient
 * ({@link SesEvents}). Confirmations, and the messages SES sends while a topic is being set up, give none.
 */
public final class SesNormalizer implements Normalizer {
    /** SNS posts JSON as text/plain; application/json is accepted for replays and tools. */
    public static final String[] MEDIA_TYPES = {"text/plain", "application/json"};
    /** What SES publishes once when an event destination is created: plain text, not JSON. */
    private static final String TOPIC_VALIDATION_TEXT = "Successfully validated SNS topic";
    /** What SES publishes when identity feedback notifications are switched on. */
    private static final String SUBSCRIPTION_SUCCEEDED = "AmazonSnsSubscriptionSucceeded";

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType(MEDIA_TYPES);
        SnsMessage sns = SnsMessage.parse(request);
        if (sns.type() != SnsMessage.Type.Notification) {
            return List.of();
        }
        JsonNode ses = sesEvent(sns.message());
        return ses == null ? List.of() : SesEvents.fanOut(request, sns.messageId(), ses);
    }

    /** The SES event in Message; null for SES's set-up messages; 400 for anything that is not an SES event. */
    private static JsonNode sesEvent(String message) {
        if (message.startsWith(TOPIC_VALIDATION_TEXT)) {
            return null;
        }
        JsonNode ses;
        try {
            ses = Json.parse(message);
        } catch (JsonProcessingException e) {
            throw WebhookRejection.badRequest("SNS field 'Message' does not hold an SES event: not JSON");
        } catch (Json.UnsafeJson e) {
            throw WebhookRejection.badRequest("SNS field 'Message' " + e.getMessage());
        }
        if (ses == null || !ses.isObject()) {
            throw WebhookRejection.badRequest("SNS field 'Message' does not hold an SES event: not a JSON object");
        }
        return SUBSCRIPTION_SUCCEEDED.equals(Json.text(ses, "notificationType")) ? null : ses;
    }
}
