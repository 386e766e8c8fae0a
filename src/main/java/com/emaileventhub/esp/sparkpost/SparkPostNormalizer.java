package com.emaileventhub.esp.sparkpost;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SparkPost: a JSON array of {@code {"msys": {"<class>_event": {...}}}} wrappers. The event's own
 * {@code type} decides, not the class; {@code {"msys": {}}} is the ping SparkPost sends when a webhook
 * is created or tested. Each canonical event keeps the whole wrapper as raw, so the class stays visible.
 */
public final class SparkPostNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.ofEntries(
            Map.entry("injection", EventType.QUEUED),
            Map.entry("delivery", EventType.DELIVERED),
            Map.entry("bounce", EventType.BOUNCED),
            Map.entry("out_of_band", EventType.BOUNCED),
            Map.entry("delay", EventType.DEFERRED),
            Map.entry("policy_rejection", EventType.REJECTED),
            Map.entry("generation_rejection", EventType.REJECTED),
            Map.entry("generation_failure", EventType.FAILED),
            Map.entry("open", EventType.OPENED),
            Map.entry("amp_open", EventType.OPENED),
            Map.entry("initial_open", EventType.OPENED),
            Map.entry("amp_initial_open", EventType.OPENED),
            Map.entry("click", EventType.CLICKED),
            Map.entry("amp_click", EventType.CLICKED),
            Map.entry("spam_complaint", EventType.COMPLAINED),
            Map.entry("list_unsubscribe", EventType.UNSUBSCRIBED),
            Map.entry("link_unsubscribe", EventType.UNSUBSCRIBED));

    /** Bounce classes (SparkPost bounce-classification codes) that are permanent; every other class is soft. */
    private static final Set<String> HARD_CLASSES = Set.of("10", "30", "90");
    /** Auto-reply and challenge-response "bounces" are not delivery failures. */
    private static final Set<String> AUTORESPONSE_CLASSES = Set.of("60", "100");

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        // the media type first: Camel leaves no bytes of a form post, which must not read as an empty body;
        // an empty body is no ping (those are JSON) and gets the 400 of request.json()
        request.requireMediaType("application/json");
        JsonNode root = request.json();
        if (!root.isArray()) {
            throw WebhookRejection.badRequest("$: expected a JSON array of {\"msys\": {...}} objects");
        }
        List<CanonicalEvent> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode wrapper = root.get(i);
            JsonNode msys = wrapper.get("msys");
            if (msys == null || !msys.isObject()) {
                throw WebhookRejection.badRequest("$[" + i + "].msys: expected an object");
            }
            for (Iterator<JsonNode> classes = msys.elements(); classes.hasNext(); ) {
                JsonNode event = classes.next();
                out.add(EventMapping.mapOne(request, wrapper, (raw, b) -> map(event, b)));
            }
        }
        return out;
    }

    private static void map(JsonNode e, CanonicalEvent.Builder b) {
        String espType = Json.text(e, "type");
        EventType type = TYPES.getOrDefault(espType == null ? "" : espType, EventType.UNKNOWN);
        String bounceClass = Json.text(e, "bounce_class");
        if (type == EventType.BOUNCED && bounceClass != null) {
            if (AUTORESPONSE_CLASSES.contains(bounceClass)) {
                type = EventType.AUTORESPONDED;
            } else {
                b.bounceType(HARD_CLASSES.contains(bounceClass) ? BounceType.HARD : BounceType.SOFT);
            }
        }
        String recipient = Json.text(e, "rcpt_to");
        b.type(type)
                .occurredAt(timestamp(Json.text(e, "timestamp")))
                .recipient(recipient != null ? recipient : Json.text(e, "raw_rcpt_to"))
                .messageId(Json.text(e, "transmission_id"))
                .espEventId(Json.text(e, "event_id"), true)
                .reason(reason(e, espType))
                .mtaResponse(Json.text(e, "raw_reason"))
                .url(Json.text(e, "target_link_url"))
                .userAgent(Json.text(e, "user_agent"))
                .ip(Json.text(e, "ip_address"))
                .tags(Json.strings(e.get("rcpt_tags")));
        Json.stringMap(e.get("rcpt_meta")).forEach(b::metadata);
    }

    private static String reason(JsonNode e, String espType) {
        if ("spam_complaint".equals(espType)) {
            return Json.text(e, "fbtype"); // the feedback-loop report type ("abuse")
        }
        String reason = Json.text(e, "reason");
        return reason != null ? reason : Json.text(e, "raw_reason");
    }

    /** Webhooks send epoch seconds as a string; some events (and the Events API) send ISO-8601. */
    static Instant timestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.trim().matches("\\d+(\\.\\d+)?") ? Timestamps.fromEpochSeconds(value) : Timestamps.fromIso(value);
        } catch (RuntimeException e) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }
}
