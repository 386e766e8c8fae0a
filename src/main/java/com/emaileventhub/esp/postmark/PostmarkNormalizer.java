package com.emaileventhub.esp.postmark;

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
import java.util.List;
import java.util.Map;

/**
 * Postmark webhooks (one JSON object per request, chosen by {@code RecordType}) to a canonical
 * event. Bounce records are refined by their {@code Type} (or {@code TypeCode}); only Bounce and
 * SpamComplaint records carry an {@code ID}, which is stable across Postmark's retries.
 */
public final class PostmarkNormalizer implements Normalizer {
    // Bounce Type names and TypeCodes as postmark.js Bounce.d.ts lists them, with their canonical meaning
    private static final Classification HARD = new Classification(EventType.BOUNCED, BounceType.HARD);
    private static final Classification SOFT = new Classification(EventType.BOUNCED, BounceType.SOFT);
    private static final Classification UNKNOWN = Classification.of(EventType.UNKNOWN);

    private static final Map<String, Classification> BY_NAME = Map.ofEntries(
            Map.entry("HardBounce", HARD),
            Map.entry("SoftBounce", SOFT),
            Map.entry("VirusNotification", SOFT),
            Map.entry("Transient", Classification.of(EventType.DEFERRED)),
            Map.entry("DnsError", Classification.of(EventType.DEFERRED)),
            Map.entry("OpenRelayTest", Classification.of(EventType.DEFERRED)),
            Map.entry("Unsubscribe", Classification.of(EventType.UNSUBSCRIBED)),
            Map.entry("ManualSuppression", Classification.of(EventType.UNSUBSCRIBED)),
            Map.entry("Subscribe", Classification.of(EventType.SUBSCRIBED)),
            Map.entry("AutoResponder", Classification.of(EventType.AUTORESPONDED)),
            Map.entry("AddressChange", Classification.of(EventType.AUTORESPONDED)),
            Map.entry("ChallengeVerification", Classification.of(EventType.AUTORESPONDED)),
            Map.entry("SpamNotification", Classification.of(EventType.COMPLAINED)),
            Map.entry("SpamComplaint", Classification.of(EventType.COMPLAINED)),
            Map.entry("BadEmailAddress", Classification.of(EventType.REJECTED)),
            Map.entry("ManuallyDeactivated", Classification.of(EventType.REJECTED)),
            Map.entry("Unconfirmed", Classification.of(EventType.REJECTED)),
            Map.entry("Blocked", Classification.of(EventType.REJECTED)),
            Map.entry("DMARCPolicy", Classification.of(EventType.REJECTED)),
            Map.entry("SMTPApiError", Classification.of(EventType.FAILED)),
            Map.entry("TemplateRenderingFailed", Classification.of(EventType.FAILED)),
            Map.entry("InboundError", UNKNOWN), // about inbound processing, not an outbound event
            Map.entry("Unknown", UNKNOWN));

    private static final Map<String, String> NAME_BY_CODE = Map.ofEntries(
            Map.entry("1", "HardBounce"),
            Map.entry("2", "Transient"),
            Map.entry("16", "Unsubscribe"),
            Map.entry("32", "Subscribe"),
            Map.entry("64", "AutoResponder"),
            Map.entry("128", "AddressChange"),
            Map.entry("256", "DnsError"),
            Map.entry("512", "SpamNotification"),
            Map.entry("1024", "OpenRelayTest"),
            Map.entry("2048", "Unknown"),
            Map.entry("4096", "SoftBounce"),
            Map.entry("8192", "VirusNotification"),
            Map.entry("16384", "ChallengeVerification"),
            Map.entry("100000", "BadEmailAddress"),
            Map.entry("100001", "SpamComplaint"),
            Map.entry("100002", "ManuallyDeactivated"),
            Map.entry("100003", "Unconfirmed"),
            Map.entry("100006", "Blocked"),
            Map.entry("100007", "SMTPApiError"),
            Map.entry("100008", "InboundError"),
            Map.entry("100009", "DMARCPolicy"),
            Map.entry("100010", "TemplateRenderingFailed"));

    /** Where each record type puts its event time. */
    private static final Map<String, String> TIME_FIELDS = Map.of(
            "Delivery", "DeliveredAt",
            "Bounce", "BouncedAt",
            "SpamComplaint", "BouncedAt",
            "Open", "ReceivedAt",
            "Click", "ReceivedAt",
            "SubscriptionChange", "ChangedAt");

    public PostmarkNormalizer() {
    }

    @Override
    public List<CanonicalEvent> normalize(WebhookRequest request) {
        request.requireMediaType("application/json");
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw WebhookRejection.badRequest("$: expected a Postmark webhook object");
        }
        JsonNode recordType = body.get("RecordType");
        if (recordType == null || !recordType.isTextual() || recordType.asText().isBlank()) {
            throw WebhookRejection.badRequest("$.RecordType: missing or not a string");
        }
        return EventMapping.mapEach(request, List.of(body), PostmarkNormalizer::map);
    }

    static void map(JsonNode e, CanonicalEvent.Builder b) {
        String recordType = Json.text(e, "RecordType");
        Classification c = classify(recordType, e);
        b.type(c.type())
                .bounceType(c.bounceType())
                .occurredAt(Timestamps.fromIso(occurredAt(recordType, e)))
                .recipient(firstNonBlank(Json.text(e, "Email"), Json.text(e, "Recipient")))
                .messageId(Json.text(e, "MessageID"))
                .url(Json.text(e, "OriginalLink"))
                .userAgent(Json.text(e, "UserAgent"))
                .ip(Json.text(e, "Geo", "IP"))
                .tag(Json.text(e, "Tag"))
                .reason(Json.text(e, "Description"))
                .mtaResponse(Json.text(e, "Details"));
        if ("Bounce".equals(recordType) || "SpamComplaint".equals(recordType)) {
            b.espEventId(Json.text(e, "ID"), true);
        }
        Json.stringMap(e.get("Metadata")).forEach(b::metadata);
    }

    record Classification(EventType type, BounceType bounceType) {
        static Classification of(EventType type) {
            return new Classification(type, null);
        }
    }

    private static Classification classify(String recordType, JsonNode e) {
        return switch (recordType) {
            case "Delivery" -> Classification.of(EventType.DELIVERED);
            case "Open" -> Classification.of(EventType.OPENED);
            case "Click" -> Classification.of(EventType.CLICKED);
            case "SpamComplaint" -> Classification.of(EventType.COMPLAINED);
            case "Bounce" -> bounce(Json.text(e, "Type"), Json.text(e, "TypeCode"));
            case "SubscriptionChange" -> subscriptionChange(e);
            default -> Classification.of(EventType.UNKNOWN);
        };
    }

    /**
     * Postmark reports every suppression as a SubscriptionChange; as anymail does, the ones caused
     * by a hard bounce or a spam complaint are reported as that event rather than an unsubscribe.
     */
    private static Classification subscriptionChange(JsonNode e) {
        Boolean suppress = Json.bool(e.get("SuppressSending"));
        if (suppress == null) {
            return Classification.of(EventType.UNKNOWN);
        }
        if (!suppress) {
            return Classification.of(EventType.SUBSCRIBED);
        }
        String reason = Json.text(e, "SuppressionReason");
        if ("HardBounce".equals(reason)) {
            return HARD;
        }
        if ("SpamComplaint".equals(reason)) {
            return Classification.of(EventType.COMPLAINED);
        }
        return Classification.of(EventType.UNSUBSCRIBED);
    }

    /** By {@code Type}, else by {@code TypeCode}; a bounce of a type Postmark has not documented is unknown. */
    private static Classification bounce(String type, String typeCode) {
        Classification byName = type == null ? null : BY_NAME.get(type);
        if (byName != null) {
            return byName;
        }
        String name = typeCode == null ? null : NAME_BY_CODE.get(typeCode.trim());
        return name == null ? UNKNOWN : BY_NAME.get(name);
    }

    private static String occurredAt(String recordType, JsonNode e) {
        String field = TIME_FIELDS.get(recordType);
        String value = field == null ? null : Json.text(e, field);
        if (value != null) {
            return value;
        }
        return firstNonBlank(Json.text(e, "DeliveredAt"), Json.text(e, "BouncedAt"), Json.text(e, "ReceivedAt"),
                Json.text(e, "ChangedAt"));
    }

}
