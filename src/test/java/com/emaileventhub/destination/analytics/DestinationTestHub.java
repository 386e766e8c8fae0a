package com.emaileventhub.destination.analytics;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.Instant;
import java.util.UUID;

/**
 * Canonical events for the destination tests (their hubs start through HubRunner).
 */
public final class DestinationTestHub {
    private DestinationTestHub() {
    }

    /** A canonical event as a normalizer would build it. */
    public static CanonicalEvent event(EventType type, String recipient, Instant occurredAt) {
        CanonicalEvent.Builder b = CanonicalEvent.builder("postmark")
                .type(type)
                .recipient(recipient)
                .occurredAt(occurredAt)
                .messageId("msg-" + UUID.randomUUID())
                .espEventId(UUID.randomUUID().toString(), true)
                .tag("newsletter")
                .metadata("campaign", "spring");
        if (type == EventType.BOUNCED) {
            b.bounceType(BounceType.HARD).reason("mailbox does not exist");
        }
        if (type == EventType.CLICKED) {
            b.url("https://example.com/pricing");
        }
        return b.build(occurredAt.plusSeconds(1), occurredAt);
    }
}
