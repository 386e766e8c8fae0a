package com.emaileventhub.esp.postmark;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.EventType;
import com.emaileventhub.esp.postmark.PostmarkNormalizer.Classification;
import java.util.Map;

/**
 * Postmark's bounce {@code Type} names and {@code TypeCode}s (postmark.js Bounce.d.ts) with the
 * canonical meaning of each (spec/esp-conventions.md, after anymail's postmark.py).
 */
final class PostmarkBounceTypes {
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

    private PostmarkBounceTypes() {
    }

    /** By {@code Type}, else by {@code TypeCode}; a bounce of a type Postmark has not documented is unknown. */
    static Classification classify(String type, String typeCode) {
        Classification byName = type == null ? null : BY_NAME.get(type);
        if (byName != null) {
            return byName;
        }
        String name = typeCode == null ? null : NAME_BY_CODE.get(typeCode.trim());
        return name == null ? UNKNOWN : BY_NAME.get(name);
    }
}
