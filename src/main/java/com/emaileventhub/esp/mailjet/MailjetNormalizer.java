package com.emaileventhub.esp.mailjet;

import static com.emaileventhub.event.Texts.firstNonBlank;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mailjet event API: one event object per POST, or an array of the last second's events when
 * "group events" (Version 2) is on. {@code MessageID} is a 64-bit integer, often above 2^53, read as
 * its exact decimal text (the shared mapper keeps big integers); {@code time} is epoch seconds.
 * Mailjet has no event id.
 */
public final class MailjetNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.of(
            "sent", EventType.DELIVERED, // "accepted by the destination SMTP server"
            "open", EventType.OPENED,
            "click", EventType.CLICKED,
            "bounce", EventType.BOUNCED,
            "spam", EventType.COMPLAINED,
            "blocked", EventType.REJECTED,
            "unsub", EventType.UNSUBSCRIBED);

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        // the media type first: Camel leaves no bytes of a form post, which must not read as an empty body;
        // an empty body is no ping (those are JSON) and gets the 400 of request.json()
        request.requireMediaType("application/json");
        return EventMapping.mapEach(request, JsonBatches.objectOrArray(request), MailjetNormalizer::map);
    }

    private static void map(JsonNode e, CanonicalEvent.Builder b) {
        String event = Json.text(e, "event");
        EventType type = event == null ? EventType.UNKNOWN : TYPES.getOrDefault(event, EventType.UNKNOWN);
        String error = Json.text(e, "error");
        Boolean hard = Json.bool(e.get("hard_bounce"));
        if (type == EventType.BOUNCED) {
            if ("greylisted".equals(error) && !Boolean.TRUE.equals(hard)) {
                type = EventType.DEFERRED; // "a temporary error ... delivery will be re-attempted"
            } else if (hard != null) {
                b.bounceType(hard ? BounceType.HARD : BounceType.SOFT);
            }
        }
        b.type(type)
                .occurredAt(epochSeconds(Json.text(e, "time")))
                .recipient(Json.text(e, "email"))
                .messageId(messageId(e))
                .reason("spam".equals(event) ? Json.text(e, "source") : error)
                .mtaResponse(firstNonBlank(Json.text(e, "smtp_reply"), Json.text(e, "comment")))
                .url(Json.text(e, "url"))
                .userAgent(Json.text(e, "agent"))
                .ip(Json.text(e, "ip"))
                .tag(Json.text(e, "customcampaign"));
        metadata(e, b);
    }

    /** MessageID (0 or absent on some events) as exact decimal text, else the deprecated mj_message_id string. */
    private static String messageId(JsonNode e) {
        String id = Json.text(e, "MessageID");
        if (id == null || id.isBlank() || id.equals("0")) {
            id = Json.text(e, "mj_message_id");
        }
        return id;
    }

    /**
     * The sender's Payload (JSON object: its entries; other text: kept whole under "Payload"), CustomID,
     * and Mailjet's campaign id when the message belongs to one (0 means none).
     */
    private static void metadata(JsonNode e, CanonicalEvent.Builder b) {
        String payload = Json.text(e, "Payload");
        if (payload != null && !payload.isBlank()) {
            JsonNode parsed = parse(payload);
            if (parsed != null && parsed.isObject()) {
                Json.stringMap(parsed).forEach(b::metadata);
            } else {
                b.metadata("Payload", payload);
            }
        }
        String customId = Json.text(e, "CustomID");
        if (customId != null && !customId.isBlank()) {
            b.metadata("CustomID", customId);
        }
        String campaign = Json.text(e, "mj_campaign_id");
        if (campaign != null && !campaign.isBlank() && !campaign.equals("0")) {
            b.metadata("mj_campaign_id", campaign);
        }
    }


    private static Instant epochSeconds(String value) {
        try {
            return Timestamps.fromEpochSeconds(value);
        } catch (RuntimeException ex) {
            return null; // an unreadable time must not cost the event: received_at stands in
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            return null;
        }
    }
}
