package com.emaileventhub.esp.resend;

import static com.emaileventhub.event.Texts.firstNonBlank;

import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.verify.StandardWebhooks;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resend: one event per request, {@code {"type", "created_at", "data": {...}}}. The event time is the
 * top-level {@code created_at} ({@code data.created_at} is when the email was created); the event id is
 * the {@code svix-id} header, which stays the same on every retry.
 *
 * <p>Recipient: Resend posts one webhook per recipient of a multi-recipient email but does not say which
 * one it concerns; every such webhook repeats the whole {@code data.to} list. Like anymail, the hub takes
 * the first {@code to} address: fanning out to every listed address would turn one recipient's bounce
 * into a hard bounce (and a suppression) of all of them, and multiply each event by the list size.
 */
public final class ResendNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.of(
            "email.sent", EventType.SENT,
            "email.delivered", EventType.DELIVERED,
            "email.delivery_delayed", EventType.DEFERRED,
            "email.complained", EventType.COMPLAINED,
            "email.bounced", EventType.BOUNCED,
            "email.opened", EventType.OPENED,
            "email.clicked", EventType.CLICKED,
            "email.failed", EventType.FAILED,
            "email.suppressed", EventType.REJECTED);

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType("application/json");
        JsonNode root = request.json();
        if (!root.isObject()) {
            throw WebhookRejection.badRequest("$: expected a JSON object {type, created_at, data}");
        }
        if (Json.text(root, "type") == null) {
            throw WebhookRejection.badRequest("$.type is missing");
        }
        if (root.has("data") && !root.get("data").isObject()) {
            throw WebhookRejection.badRequest("$.data: expected an object");
        }
        String svixId = StandardWebhooks.messageId(request);
        return List.of(EventMapping.mapOne(request, root, (e, b) -> map(e, b, svixId)));
    }

    private static void map(JsonNode e, CanonicalEvent.Builder b, String svixId) {
        String espType = Json.text(e, "type");
        EventType type = TYPES.getOrDefault(espType, EventType.UNKNOWN);
        JsonNode data = e.path("data");
        JsonNode click = data.path("click");
        JsonNode open = data.path("open");
        b.type(type)
                .bounceType(type == EventType.BOUNCED ? bounceType(data.path("bounce")) : null)
                .occurredAt(iso(Json.text(e, "created_at")))
                .recipient(firstNonBlank(firstRecipient(data.get("to")), Json.text(data, "email"))) // contact.* events: data.email
                .messageId(Json.text(data, "email_id"))
                .espEventId(svixId, true)
                .reason(firstNonBlank(Json.text(data, "bounce", "message"), Json.text(data, "failed", "reason"),
                        Json.text(data, "suppressed", "message")))
                .url(Json.text(click, "link"))
                .userAgent(firstNonBlank(Json.text(click, "userAgent"), Json.text(open, "userAgent")))
                .ip(firstNonBlank(Json.text(click, "ipAddress"), Json.text(open, "ipAddress")));
        resendTags(data.get("tags"), b);
        customHeaders(data.get("headers"), b);
    }

    /**
     * email.bounced is documented as a permanent rejection; when the payload's SES-style
     * {@code bounce.type} says otherwise, it wins (Transient is soft, Undetermined unknown).
     */
    private static BounceType bounceType(JsonNode bounce) {
        String t = Json.text(bounce, "type");
        if (t == null) {
            return BounceType.HARD;
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "transient" -> BounceType.SOFT;
            case "undetermined" -> null;
            default -> BounceType.HARD;
        };
    }

    private static String firstRecipient(JsonNode to) {
        if (to == null) {
            return null;
        }
        List<String> list = Json.strings(to);
        return list.isEmpty() ? null : list.get(0);
    }

    /** Resend's own tags are name/value pairs ({@code {"name": "value"}}, or {@code [{name, value}]}): metadata. */
    private static void resendTags(JsonNode tags, CanonicalEvent.Builder b) {
        if (tags == null) {
            return;
        }
        if (tags.isArray()) {
            tags.forEach(t -> b.metadata(Json.text(t, "name"), Json.text(t, "value")));
        } else {
            Json.stringMap(tags).forEach(b::metadata);
        }
    }

    /** anymail's convention for Resend: an X-Tags header (JSON array) and an X-Metadata header (JSON object). */
    private static void customHeaders(JsonNode headers, CanonicalEvent.Builder b) {
        if (headers == null || !headers.isArray()) {
            return;
        }
        for (JsonNode h : headers) {
            String name = Json.text(h, "name");
            String value = Json.text(h, "value");
            if (name == null || value == null) {
                continue;
            }
            if (name.equalsIgnoreCase("X-Tags")) {
                b.tags(Json.strings(parse(value)));
            } else if (name.equalsIgnoreCase("X-Metadata")) {
                Json.stringMap(parse(value)).forEach(b::metadata);
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static Instant iso(String value) {
        try {
            return Timestamps.fromIso(value);
        } catch (RuntimeException e) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }
}
