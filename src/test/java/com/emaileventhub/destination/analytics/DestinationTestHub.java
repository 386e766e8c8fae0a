package com.emaileventhub.destination.analytics;

import com.emaileventhub.Hub;
import com.emaileventhub.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Starts a real hub for destination tests: its own in-memory database, a free port, and a copy of
 * routes/ without webhooks/ (vendor classes live on other branches).
 */
public final class DestinationTestHub {
    private DestinationTestHub() {
    }

    public static Hub start(Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("hub.db.url", "jdbc:h2:mem:dest-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        props.put("hub.http.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        props.put("hub.admin.token", "test-admin-token");
        props.putAll(overrides);
        return new Hub(HubConfig.load(props)).start();
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
            b.bounceType(com.emaileventhub.event.BounceType.HARD).reason("mailbox does not exist");
        }
        if (type == EventType.CLICKED) {
            b.url("https://example.com/pricing");
        }
        return b.build(occurredAt.plusSeconds(1), occurredAt);
    }
}
