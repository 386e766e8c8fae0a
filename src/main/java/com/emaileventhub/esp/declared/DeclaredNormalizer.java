package com.emaileventhub.esp.declared;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The normalizer of a vendor declared in YAML alone: JSON Pointers (RFC 6901, Jackson's
 * {@code JsonNode.at}) read each canonical field from one vendor event. The events pointer picks the
 * events out of the body (empty: the body itself); an array gives one event per element, an object one
 * event. Every other pointer is relative to one event. Unset pointers leave their field null.
 */
public class DeclaredNormalizer implements Normalizer {
    /** How the declared timestamp field is written. */
    enum TimeUnit { S, MS, ISO }

    private String[] contentTypes = {"application/json"};
    private JsonPointer events = JsonPointer.empty();
    private JsonPointer type;
    private TypeTable types;
    private JsonPointer recipient;
    private JsonPointer messageId;
    private JsonPointer timestamp;
    private TimeUnit timestampUnit = TimeUnit.S;
    private JsonPointer url;
    private JsonPointer userAgent;
    private JsonPointer ip;
    private JsonPointer reason;
    private JsonPointer eventId;
    private boolean eventIdStable;
    private JsonPointer tags;
    private JsonPointer metadata;

    public void setContentType(String value) {
        if (DeclaredVerifier.blankToNull(value) != null) {
            contentTypes = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
        }
    }

    /** The media types this vendor's route reads. */
    public List<String> mediaTypes() {
        return List.of(contentTypes);
    }

    public void setEvents(String value) { events = orEmpty(pointer("events", value)); }
    public void setType(String value) { type = pointer("type", value); }
    public void setTypes(String value) { types = TypeTable.parse(value); }
    public void setRecipient(String value) { recipient = pointer("recipient", value); }
    public void setMessageId(String value) { messageId = pointer("messageId", value); }
    public void setTimestamp(String value) { timestamp = pointer("timestamp", value); }
    public void setUrl(String value) { url = pointer("url", value); }
    public void setUserAgent(String value) { userAgent = pointer("userAgent", value); }
    public void setIp(String value) { ip = pointer("ip", value); }
    public void setReason(String value) { reason = pointer("reason", value); }
    public void setEventId(String value) { eventId = pointer("eventId", value); }
    public void setTags(String value) { tags = pointer("tags", value); }
    public void setMetadata(String value) { metadata = pointer("metadata", value); }

    public void setTimestampUnit(String value) {
        if (DeclaredVerifier.blankToNull(value) != null) {
            timestampUnit = DeclaredVerifier.parseEnum(TimeUnit.class, value, "timestampUnit", "s, ms or iso");
        }
    }

    public void setEventIdStable(String value) {
        String v = DeclaredVerifier.blankToNull(value);
        eventIdStable = v != null && HubConfig.parseBool("eventIdStable", v);
    }

    /** Called by Camel once the properties are set: a declaration that cannot work stops start-up. */
    public void init() {
        if (type == null) {
            throw new IllegalArgumentException("type: a JSON Pointer to the vendor's event type is needed");
        }
        if (types == null) {
            throw new IllegalArgumentException("types: the vendorType:canonicalType table is needed");
        }
        if (recipient == null) {
            throw new IllegalArgumentException("recipient: a JSON Pointer to the recipient address is needed");
        }
    }

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        // an empty body is a 400 (from request.json()); pings post {} or []
        request.requireMediaType(contentTypes);
        JsonNode root = request.json();
        JsonNode found = root.at(events);
        List<JsonNode> list = new ArrayList<>();
        if (found.isArray()) {
            found.forEach(list::add);
        } else if (found.isObject()) {
            if (!found.isEmpty()) {
                list.add(found);
            }
        } else {
            throw WebhookRejection.badRequest(found.isMissingNode()
                    ? "events pointer '" + events + "' matches nothing in the body"
                    : "'" + events + "': expected an event object or an array of them");
        }
        return EventMapping.mapEach(request, list, this::map);
    }

    private void map(JsonNode e, CanonicalEvent.Builder b) {
        TypeTable.Mapped mapped = types.map(text(e, type));
        b.type(mapped.type())
                .bounceType(mapped.bounceType())
                .recipient(text(e, recipient))
                .messageId(text(e, messageId))
                .occurredAt(time(text(e, timestamp)))
                .url(text(e, url))
                .userAgent(text(e, userAgent))
                .ip(text(e, ip))
                .reason(text(e, reason))
                .espEventId(text(e, eventId), eventIdStable);
        if (tags != null) {
            b.tags(Json.strings(e.at(tags)));
        }
        if (metadata != null) {
            Json.stringMap(e.at(metadata)).forEach(b::metadata);
        }
    }

    private Instant time(String value) {
        try {
            return switch (timestampUnit) {
                case S -> Timestamps.fromEpochSeconds(value);
                case MS -> Timestamps.fromEpochMillis(value);
                case ISO -> Timestamps.fromIso(value);
            };
        } catch (RuntimeException ex) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }

    private static String text(JsonNode event, JsonPointer pointer) {
        return pointer == null ? null : Json.scalar(event.at(pointer));
    }

    private static JsonPointer pointer(String parameter, String value) {
        String v = DeclaredVerifier.blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return JsonPointer.compile(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": '" + v + "' is not a JSON Pointer (it starts with /)");
        }
    }

    private static JsonPointer orEmpty(JsonPointer p) {
        return p == null ? JsonPointer.empty() : p;
    }
}
