package com.emaileventhub.esp.mandrill;

import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Texts;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mandrill: a form field {@code mandrill_events} holding a JSON array of up to 1000 events. Message
 * events are keyed by {@code event} and carry the message in {@code msg}; sync events (allow/deny-list
 * changes) are keyed by {@code type} and carry a {@code reject} (denylist) or {@code entry} (allowlist)
 * object instead, and become unknown.
 * Top-level {@code ts} is the event time ({@code msg.ts} is the send time); top-level {@code _id} is the
 * message id, shared by all events of the message, so Mandrill has no event id.
 */
public final class MandrillNormalizer implements Normalizer {
    static final String FIELD = "mandrill_events";
    /** Mandrill posts a form whose one field holds the events. */
    public static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private static final Map<String, EventType> TYPES = Map.of(
            "send", EventType.SENT,
            "deferral", EventType.DEFERRED,
            "hard_bounce", EventType.BOUNCED,
            "soft_bounce", EventType.BOUNCED,
            "delivered", EventType.DELIVERED,
            "open", EventType.OPENED,
            "click", EventType.CLICKED,
            "spam", EventType.COMPLAINED,
            "unsub", EventType.UNSUBSCRIBED,
            "reject", EventType.REJECTED);

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType(MEDIA_TYPE);
        List<String> values = request.form().get(FIELD);
        if (values == null) {
            throw WebhookRejection.badRequest("form field '" + FIELD + "' is missing");
        }
        JsonNode events;
        try {
            events = Json.parse(values.get(values.size() - 1));
        } catch (JsonProcessingException e) {
            throw WebhookRejection.badRequest("form field '" + FIELD + "' is not JSON: " + e.getOriginalMessage());
        } catch (Json.UnsafeJson e) {
            throw WebhookRejection.badRequest("form field '" + FIELD + "' " + e.getMessage());
        }
        if (events == null || !events.isArray()) {
            throw WebhookRejection.badRequest("form field '" + FIELD + "': expected a JSON array of events");
        }
        return EventMapping.mapEach(request, FIELD, events, MandrillNormalizer::map);
    }

    private static void map(JsonNode e, CanonicalEvent.Builder b) {
        String event = Json.text(e, "event");
        EventType type = event == null ? EventType.UNKNOWN : TYPES.getOrDefault(event, EventType.UNKNOWN);
        JsonNode msg = e.path("msg");
        JsonNode reject = e.path("reject"); // denylist sync events
        JsonNode entry = e.path("entry"); // allowlist sync events
        b.type(type)
                .bounceType("hard_bounce".equals(event) ? BounceType.HARD : "soft_bounce".equals(event) ? BounceType.SOFT : null)
                .occurredAt(epochSeconds(Json.text(e, "ts")))
                .recipient(first(Json.text(msg, "email"), Json.text(reject, "email"), Json.text(entry, "email")))
                .messageId(Json.text(e, "_id"))
                .reason(first(Json.text(msg, "bounce_description"), Json.text(reject, "reason")))
                .mtaResponse(first(Json.text(msg, "diag"), lastSmtpDiag(msg), Json.text(reject, "detail")))
                .url(Json.text(e, "url"))
                .userAgent(Json.text(e, "user_agent"))
                .ip(Json.text(e, "ip"))
                .tags(Json.strings(msg.get("tags")));
        Json.stringMap(msg.get("metadata")).forEach(b::metadata);
    }

    /** Deferrals report the receiving server's answer in the latest of {@code msg.smtp_events}. */
    private static String lastSmtpDiag(JsonNode msg) {
        JsonNode smtp = msg.path("smtp_events");
        return smtp.isArray() && !smtp.isEmpty() ? Json.text(smtp.get(smtp.size() - 1), "diag") : null;
    }

    private static Instant epochSeconds(String value) {
        try {
            return Timestamps.fromEpochSeconds(value);
        } catch (RuntimeException ex) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }

    private static String first(String... values) {
        String v = Texts.firstNonBlank(values);
        return v == null ? null : v.trim();
    }
}
