package com.emaileventhub.esp.brevo;

import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.esp.JsonBatches;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Brevo transactional webhooks: one JSON event object, or an array of them when the webhook is
 * batched. {@code ts_epoch} (epoch milliseconds, UTC) is the event time; {@code date} and {@code ts}
 * follow the account's time zone, so {@code ts_event} and {@code ts} are only fallbacks. Brevo has no
 * event id ({@code id} is the webhook's).
 */
public final class BrevoNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.ofEntries(
            Map.entry("request", EventType.QUEUED),
            Map.entry("delivered", EventType.DELIVERED),
            Map.entry("hard_bounce", EventType.BOUNCED),
            Map.entry("soft_bounce", EventType.BOUNCED),
            Map.entry("invalid_email", EventType.BOUNCED),
            Map.entry("blocked", EventType.REJECTED),
            Map.entry("error", EventType.FAILED),
            Map.entry("deferred", EventType.DEFERRED),
            Map.entry("opened", EventType.OPENED),
            Map.entry("unique_opened", EventType.OPENED),
            Map.entry("proxy_open", EventType.OPENED),
            Map.entry("unique_proxy_open", EventType.OPENED),
            Map.entry("click", EventType.CLICKED),
            Map.entry("spam", EventType.COMPLAINED),
            Map.entry("complaint", EventType.COMPLAINED),
            Map.entry("unsubscribed", EventType.UNSUBSCRIBED),
            Map.entry("unsubscribe", EventType.UNSUBSCRIBED),
            Map.entry("list_addition", EventType.SUBSCRIBED));

    /** Below this an "epoch milliseconds" value is really seconds (1e11 ms is 1973; 1e11 s is year 5138). */
    private static final BigDecimal SECONDS_LIMIT = new BigDecimal("100000000000");

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        // the media type first: Camel leaves no bytes of a form post, which must not read as an empty body;
        // an empty body is no ping (those are JSON) and gets the 400 of request.json()
        request.requireMediaType("application/json");
        return EventMapping.mapEach(request, JsonBatches.objectOrArray(request), BrevoNormalizer::map);
    }

    private static void map(JsonNode e, CanonicalEvent.Builder b) {
        String event = Json.text(e, "event");
        EventType type = event == null ? EventType.UNKNOWN : TYPES.getOrDefault(event, EventType.UNKNOWN);
        b.type(type)
                .bounceType(bounceType(event))
                .occurredAt(occurredAt(e))
                .recipient(Json.text(e, "email"))
                .messageId(Json.text(e, "message-id"))
                .reason(trimmed(Json.text(e, "reason")))
                .url(Json.text(e, "link"))
                .userAgent(Json.text(e, "user_agent"))
                .ip(Json.text(e, "ip"))
                .tags(tags(e))
                // Brevo's "Loaded by proxy" opens (Apple Mail Privacy Protection and the like) are their own event names
                .machine(event != null && event.endsWith("proxy_open") ? "brevo:" + event : null);
        metadata(e.get("X-Mailin-custom")).forEach(b::metadata);
    }

    private static BounceType bounceType(String event) {
        if ("hard_bounce".equals(event) || "invalid_email".equals(event)) {
            return BounceType.HARD;
        }
        return "soft_bounce".equals(event) ? BounceType.SOFT : null;
    }

    private static Instant occurredAt(JsonNode e) {
        try {
            String epoch = Json.text(e, "ts_epoch");
            if (epoch != null) {
                BigDecimal v = Timestamps.epochNumber(epoch);
                return v.abs().compareTo(SECONDS_LIMIT) < 0 ? Timestamps.fromEpochSeconds(epoch)
                        : Timestamps.fromEpochMillis(epoch);
            }
            String seconds = Json.text(e, "ts_event");
            return Timestamps.fromEpochSeconds(seconds != null ? seconds : Json.text(e, "ts"));
        } catch (RuntimeException ex) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }

    /** {@code tags} (array) when sent with the tags parameter; else {@code tag}: a string, a JSON-array string, or an array. */
    private static List<String> tags(JsonNode e) {
        JsonNode tags = e.get("tags");
        if (tags != null && !tags.isNull()) {
            return Json.strings(tags);
        }
        JsonNode tag = e.get("tag");
        if (tag != null && tag.isTextual() && tag.asText().trim().startsWith("[")) {
            JsonNode parsed = parse(tag.asText());
            if (parsed != null && parsed.isArray()) {
                return Json.strings(parsed);
            }
        }
        return Json.strings(tag);
    }

    /** X-Mailin-custom: the sender's header, a JSON object when sent as one (else it stays in raw only). */
    private static Map<String, String> metadata(JsonNode custom) {
        if (custom != null && custom.isTextual()) {
            custom = parse(custom.asText());
        }
        return Json.stringMap(custom);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }
}
