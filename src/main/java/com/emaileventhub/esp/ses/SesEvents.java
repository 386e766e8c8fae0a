package com.emaileventhub.esp.ses;

import static com.emaileventhub.event.EventType.BOUNCED;
import static com.emaileventhub.event.EventType.CLICKED;
import static com.emaileventhub.event.EventType.COMPLAINED;
import static com.emaileventhub.event.EventType.DEFERRED;
import static com.emaileventhub.event.EventType.DELIVERED;
import static com.emaileventhub.event.EventType.FAILED;
import static com.emaileventhub.event.EventType.OPENED;
import static com.emaileventhub.event.EventType.REJECTED;
import static com.emaileventhub.event.EventType.SENT;
import static com.emaileventhub.event.EventType.SUBSCRIBED;
import static com.emaileventhub.event.EventType.UNKNOWN;
import static com.emaileventhub.event.EventType.UNSUBSCRIBED;
import static com.emaileventhub.event.Texts.firstNonBlank;

import com.emaileventhub.esp.EventMapping;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One SES event (event publishing's {@code eventType} or feedback notifications' {@code notificationType})
 * as canonical events, one per recipient. Every event shares the SNS MessageId as its stable
 * esp_event_id; the recipient keeps the ids apart.
 *
 * <p>Tags: SES message tags and configuration-set tags ({@code mail.tags}, name to list of values, plus a
 * click's {@code linkTags}) are what the sender attached, so each becomes metadata {@code name -> values
 * joined by ","} and each value a tag {@code "name:value"}. SES's automatic {@code ses:*} tags (source IP,
 * caller identity, configuration set...) describe the sending, not the message, and stay in {@code raw}.
 */
final class SesEvents {
    /** The canonical type, the event's own object, and the list in it that names the affected recipients. */
    private record Kind(EventType type, String detail, String recipients) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "Send", new Kind(SENT, "send", null),
            "Reject", new Kind(REJECTED, "reject", null),
            "Bounce", new Kind(BOUNCED, "bounce", "bouncedRecipients"),
            "Complaint", new Kind(COMPLAINED, "complaint", "complainedRecipients"),
            "Delivery", new Kind(DELIVERED, "delivery", "recipients"),
            "Open", new Kind(OPENED, "open", null),
            "Click", new Kind(CLICKED, "click", null),
            "Rendering Failure", new Kind(FAILED, "failure", null),
            "DeliveryDelay", new Kind(DEFERRED, "deliveryDelay", "delayedRecipients"),
            "Subscription", new Kind(SUBSCRIBED, "subscription", null));

    private SesEvents() {
    }

    static List<CanonicalEvent> fanOut(WebhookRequest request, String snsMessageId, JsonNode ses) {
        String name = firstNonBlank(Json.text(ses, "eventType"), Json.text(ses, "notificationType"));
        Kind kind = KINDS.getOrDefault(name == null ? "" : name, new Kind(UNKNOWN, detailField(name), null));
        JsonNode mail = ses.path("mail");
        JsonNode detail = ses.path(kind.detail());
        List<CanonicalEvent> out = new ArrayList<>();
        for (String recipient : recipients(kind, detail, mail)) {
            out.add(EventMapping.mapOne(request, ses,
                    (event, b) -> map(kind, detail, mail, recipient, b.espEventId(snsMessageId, true))));
        }
        return out;
    }

    private static void map(Kind kind, JsonNode detail, JsonNode mail, String recipient, CanonicalEvent.Builder b) {
        b.type(kind.type() == SUBSCRIBED ? subscriptionType(detail) : kind.type())
                .recipient(recipient)
                .messageId(Json.text(mail, "messageId"))
                .occurredAt(firstNonNull(instant(detail), instant(mail)));
        tags(b, mail.path("tags"), detail.path("linkTags"));
        JsonNode entry = entry(detail.path(kind.recipients() == null ? "" : kind.recipients()), recipient);
        switch (kind.type()) {
            case BOUNCED -> b.bounceType(bounceType(Json.text(detail, "bounceType")))
                    .reason(firstNonBlank(Json.text(detail, "bounceSubType"), Json.text(entry, "diagnosticCode")))
                    .mtaResponse(firstNonBlank(Json.text(entry, "diagnosticCode"), Json.text(entry, "status")));
            case COMPLAINED -> b.reason(firstNonBlank(Json.text(detail, "complaintFeedbackType"),
                    Json.text(detail, "complaintSubType")));
            case DELIVERED -> b.mtaResponse(Json.text(detail, "smtpResponse"));
            case REJECTED -> b.reason(Json.text(detail, "reason"));
            case FAILED -> b.reason(Json.text(detail, "errorMessage"));
            case DEFERRED -> b.reason(Json.text(detail, "delayType"))
                    .mtaResponse(firstNonBlank(Json.text(entry, "diagnosticCode"), Json.text(entry, "status")));
            case OPENED -> b.ip(Json.text(detail, "ipAddress")).userAgent(Json.text(detail, "userAgent"));
            case CLICKED -> b.url(Json.text(detail, "link"))
                    .ip(Json.text(detail, "ipAddress")).userAgent(Json.text(detail, "userAgent"));
            default -> {
            }
        }
    }

    /**
     * The affected recipients: the event's own list where it has one (bounce, complaint, delivery, delay),
     * else mail.destination (SES does not say which recipient opened or clicked). Never empty: an event
     * that names nobody is still kept, with a null recipient.
     */
    private static List<String> recipients(Kind kind, JsonNode detail, JsonNode mail) {
        Set<String> out = new LinkedHashSet<>();
        if (kind.recipients() != null) {
            addresses(detail.path(kind.recipients()), out);
        }
        if (out.isEmpty()) {
            addresses(mail.path("destination"), out);
        }
        return out.isEmpty() ? Collections.singletonList(null) : new ArrayList<>(out);
    }

    /** Addresses from a list of strings or of {"emailAddress": ...} objects, normalized and de-duplicated. */
    private static void addresses(JsonNode list, Set<String> into) {
        for (JsonNode item : list) {
            String raw = item.isObject() ? Json.text(item, "emailAddress") : Json.scalar(item);
            String address = Recipients.normalize(raw);
            if (address != null) {
                into.add(address);
            }
        }
    }

    /** The entry of a recipient list (bouncedRecipients, delayedRecipients) that belongs to one recipient. */
    private static JsonNode entry(JsonNode list, String recipient) {
        for (JsonNode item : list) {
            if (recipient != null && recipient.equals(Recipients.normalize(Json.text(item, "emailAddress")))) {
                return item;
            }
        }
        return null;
    }

    /** Opt-out of everything, or of a topic not opted out before, unsubscribes; other changes subscribe. */
    private static EventType subscriptionType(JsonNode subscription) {
        JsonNode now = subscription.path("newTopicPreferences");
        if (!now.isObject()) {
            return UNKNOWN;
        }
        if (now.path("unsubscribeAll").asBoolean(false)) {
            return UNSUBSCRIBED;
        }
        Map<String, String> before = new HashMap<>();
        for (JsonNode topic : subscription.path("oldTopicPreferences").path("topicSubscriptionStatus")) {
            before.put(Json.text(topic, "topicName"), Json.text(topic, "subscriptionStatus"));
        }
        for (JsonNode topic : now.path("topicSubscriptionStatus")) {
            if ("OptOut".equals(Json.text(topic, "subscriptionStatus"))
                    && !"OptOut".equals(before.get(Json.text(topic, "topicName")))) {
                return UNSUBSCRIBED;
            }
        }
        return SUBSCRIBED;
    }

    private static BounceType bounceType(String value) {
        if ("Permanent".equals(value)) {
            return BounceType.HARD;
        }
        return "Transient".equals(value) ? BounceType.SOFT : null;
    }

    /** mail.tags first, then a click's linkTags (mail tags win a name clash); ses:* tags are left out. */
    private static void tags(CanonicalEvent.Builder b, JsonNode mailTags, JsonNode linkTags) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        for (JsonNode source : List.of(mailTags, linkTags)) {
            if (source.isObject()) {
                source.fields().forEachRemaining(e -> {
                    if (!e.getKey().startsWith("ses:")) {
                        merged.putIfAbsent(e.getKey(), Json.strings(e.getValue()));
                    }
                });
            }
        }
        merged.forEach((name, values) -> {
            values.forEach(v -> b.tag(name + ":" + v));
            if (!values.isEmpty()) {
                b.metadata(name, String.join(",", values));
            }
        });
    }

    /** The object's own "timestamp"; null when absent or unreadable (the caller falls back). */
    private static Instant instant(JsonNode node) {
        try {
            return Timestamps.fromIso(Json.text(node, "timestamp"));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Unknown event types: the object SES would name after them ("Foo Bar" → "fooBar"), if any. */
    private static String detailField(String eventType) {
        if (eventType == null || eventType.isBlank()) {
            return "";
        }
        String compact = eventType.replace(" ", "");
        return Character.toLowerCase(compact.charAt(0)) + compact.substring(1);
    }

    private static Instant firstNonNull(Instant a, Instant b) {
        return a != null ? a : b;
    }
}
