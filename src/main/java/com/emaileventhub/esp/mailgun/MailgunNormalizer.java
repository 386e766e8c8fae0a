package com.emaileventhub.esp.mailgun;

import static com.emaileventhub.event.Texts.firstNonBlank;

import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mailgun's JSON webhook ({@code {signature, event-data}}, one event per request) to a canonical
 * event. {@code event-data} is the vendor event kept as {@code raw}; its {@code id} survives
 * Mailgun's retries and takes part in the event id.
 */
public final class MailgunNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.of(
            "accepted", EventType.QUEUED,
            "rejected", EventType.REJECTED,
            "delivered", EventType.DELIVERED,
            "failed", EventType.BOUNCED,
            "opened", EventType.OPENED,
            "clicked", EventType.CLICKED,
            "unsubscribed", EventType.UNSUBSCRIBED,
            "complained", EventType.COMPLAINED);

    private static final Set<EventType> PROBLEMS = EnumSet.of(
            EventType.BOUNCED, EventType.DEFERRED, EventType.REJECTED, EventType.FAILED, EventType.COMPLAINED);

    public MailgunNormalizer() {
    }

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType("application/json");
        JsonNode eventData = request.json().get("event-data");
        if (eventData == null || !eventData.isObject()) {
            throw WebhookRejection.badRequest("$.event-data: missing or not an object");
        }
        return EventMapping.mapEach(request, List.of(eventData), MailgunNormalizer::map);
    }

    static void map(JsonNode e, CanonicalEvent.Builder b) {
        EventType type = type(Json.text(e, "event"), Json.text(e, "severity"));
        JsonNode status = e.get("delivery-status");
        b.type(type)
                .occurredAt(Timestamps.fromEpochSeconds(Json.text(e, "timestamp")))
                .recipient(recipient(e))
                .messageId(Json.text(e, "message", "headers", "message-id"))
                .espEventId(Json.text(e, "id"), true)
                .url(Json.text(e, "url"))
                .userAgent(Json.text(e, "client-info", "user-agent"))
                .ip(Json.text(e, "ip"))
                .tags(Json.strings(e.get("tags")))
                .mtaResponse(mtaResponse(status))
                // client-info.bot: apple (Mail Privacy Protection), gmail (image proxy), generic (a scanner); empty: a person
                .machine(prefixed("mailgun:bot=", Json.text(e, "client-info", "bot")));
        Json.stringMap(e.get("user-variables")).forEach(b::metadata);
        if (type == EventType.BOUNCED) {
            b.bounceType(BounceType.HARD); // Mailgun's permanent failures; temporary ones are deferred
        }
        if (PROBLEMS.contains(type)) {
            b.reason(firstNonBlank(Json.text(status, "description"), Json.text(status, "message"),
                    Json.text(e, "reject", "reason"), Json.text(e, "reject", "description"), Json.text(e, "reason")));
        }
    }

    private static EventType type(String event, String severity) {
        EventType type = event == null ? EventType.UNKNOWN : TYPES.getOrDefault(event, EventType.UNKNOWN);
        if (type == EventType.BOUNCED && "temporary".equals(severity)) {
            return EventType.DEFERRED;
        }
        return type;
    }

    /** {@code recipient}, absent on {@code rejected} events: then the first address of the To header. */
    private static String recipient(JsonNode e) {
        String recipient = Json.text(e, "recipient");
        if (recipient != null && !recipient.isBlank()) {
            return recipient;
        }
        return firstAddress(Json.text(e, "message", "headers", "to"));
    }

    /** The SMTP reply: code and message ("550 5.1.1 ..."), either alone when the other is missing. */
    private static String mtaResponse(JsonNode status) {
        String code = Json.text(status, "code");
        String message = Json.text(status, "message");
        boolean hasCode = code != null && !code.isBlank() && !"0".equals(code);
        boolean hasMessage = message != null && !message.isBlank();
        if (hasCode && hasMessage) {
            return code + " " + message.trim();
        }
        return hasCode ? code : hasMessage ? message.trim() : null;
    }

    /** The first entry of an address list, splitting on commas outside quotes and angle brackets. */
    static String firstAddress(String header) {
        if (header == null) {
            return null;
        }
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>' && angle > 0) {
                angle--;
            } else if (!quoted && angle == 0 && c == ',') {
                return header.substring(0, i);
            }
        }
        return header;
    }

    private static String prefixed(String prefix, String value) {
        return value == null || value.isBlank() ? null : prefix + value;
    }
}
