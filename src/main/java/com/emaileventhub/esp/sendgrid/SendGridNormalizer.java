package com.emaileventhub.esp.sendgrid;

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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SendGrid Event Webhook batches (a JSON array of flat event objects) to canonical events.
 * {@code sg_event_id} is kept but not used for the id: SendGrid changes it when it retries a batch.
 */
public final class SendGridNormalizer implements Normalizer {
    private static final Map<String, EventType> TYPES = Map.ofEntries(
            Map.entry("processed", EventType.QUEUED),
            Map.entry("dropped", EventType.REJECTED),
            Map.entry("delivered", EventType.DELIVERED),
            Map.entry("deferred", EventType.DEFERRED),
            Map.entry("bounce", EventType.BOUNCED),
            Map.entry("open", EventType.OPENED),
            Map.entry("click", EventType.CLICKED),
            Map.entry("spamreport", EventType.COMPLAINED),
            Map.entry("unsubscribe", EventType.UNSUBSCRIBED),
            Map.entry("group_unsubscribe", EventType.UNSUBSCRIBED),
            Map.entry("group_resubscribe", EventType.SUBSCRIBED));

    /** Types for which a reason is meaningful (delivery problems and complaints). */
    private static final Set<EventType> PROBLEMS = EnumSet.of(
            EventType.BOUNCED, EventType.DEFERRED, EventType.REJECTED, EventType.FAILED, EventType.COMPLAINED);

    /** Engagement events, whose {@code ip} is the recipient's; on delivery events it is SendGrid's sending IP. */
    private static final Set<EventType> ENGAGEMENT = EnumSet.of(
            EventType.OPENED, EventType.CLICKED, EventType.UNSUBSCRIBED, EventType.SUBSCRIBED, EventType.COMPLAINED);

    /**
     * SendGrid's own event fields. SendGrid merges custom_args / unique_args into the event as
     * top-level keys, so, as anymail does, every other top-level key is the sender's metadata.
     */
    static final Set<String> KNOWN_FIELDS = Set.of(
            "asm_group_id", "attempt", "bounce_classification", "category", "cert_err", "email", "event", "ip",
            "marketing_campaign_id", "marketing_campaign_name", "marketing_campaign_split_id",
            "marketing_campaign_version", "mc_stats", "newsletter", "nlvx_campaign_id", "nlvx_campaign_split_id",
            "nlvx_user_id", "phase_id", "pool", "post_type", "reason", "response", "send_at", "sg_content_type",
            "sg_event_id", "sg_machine_open", "sg_message_id", "sg_template_id", "sg_template_name",
            "singlesend_id", "singlesend_name", "smtp-id", "status", "template_hash", "template_id",
            "template_version_id", "timestamp", "tls", "type", "url", "url_offset", "useragent");

    /** Older payloads may nest the sender's arguments instead of merging them. */
    private static final Set<String> NESTED_ARGS = Set.of("unique_args", "custom_args");

    public SendGridNormalizer() {
    }

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType("application/json");
        JsonNode body = request.json();
        if (!body.isArray()) {
            throw WebhookRejection.badRequest("$: expected a JSON array of SendGrid events, got " + kind(body));
        }
        return EventMapping.mapEach(request, body, SendGridNormalizer::map);
    }

    static void map(JsonNode e, CanonicalEvent.Builder b) {
        String event = Json.text(e, "event");
        EventType type = event == null ? EventType.UNKNOWN : TYPES.getOrDefault(event, EventType.UNKNOWN);
        b.type(type)
                .occurredAt(Timestamps.fromEpochSeconds(Json.text(e, "timestamp")))
                .recipient(Json.text(e, "email"))
                .messageId(Json.text(e, "sg_message_id"))
                .espEventId(Json.text(e, "sg_event_id"), false)
                .url(Json.text(e, "url"))
                .userAgent(Json.text(e, "useragent"))
                .tags(Json.strings(e.get("category")));
        if ("true".equals(Json.text(e, "sg_machine_open"))) {
            b.machine("sendgrid:sg_machine_open");   // SendGrid's Apple Mail Privacy Protection open
        }
        if (type == EventType.BOUNCED) {
            b.bounceType(bounceType(Json.text(e, "type")));
        }
        if (ENGAGEMENT.contains(type)) {
            b.ip(Json.text(e, "ip"));
        }
        if (PROBLEMS.contains(type)) {
            b.reason(firstNonBlank(Json.text(e, "reason"), Json.text(e, "response"), Json.text(e, "bounce_classification")));
        }
        if (type != EventType.REJECTED) {
            // a dropped message never reached an MTA; elsewhere response (delivered/deferred) or reason (bounce) is the SMTP reply
            b.mtaResponse(firstNonBlank(Json.text(e, "response"), Json.text(e, "reason"), Json.text(e, "status")));
        }
        metadata(e, b);
    }

    private static BounceType bounceType(String type) {
        if ("bounce".equals(type)) {
            return BounceType.HARD;
        }
        if ("blocked".equals(type)) {
            return BounceType.SOFT;
        }
        return null;
    }

    private static void metadata(JsonNode e, CanonicalEvent.Builder b) {
        e.fields().forEachRemaining(f -> {
            String key = f.getKey();
            if (KNOWN_FIELDS.contains(key)) {
                return;
            }
            if (NESTED_ARGS.contains(key) && f.getValue().isObject()) {
                Json.stringMap(f.getValue()).forEach(b::metadata);
            } else {
                JsonNode v = f.getValue();
                b.metadata(key, v.isContainerNode() ? v.toString() : Json.scalar(v));
            }
        });
    }

    private static String kind(JsonNode node) {
        return node.isObject() ? "an object" : node.isTextual() ? "a string" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
