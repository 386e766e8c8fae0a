package com.emaileventhub.destination.analytics;

import com.emaileventhub.Hub;
import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.TestDatabases;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Starts a real hub for destination tests: its own database (a fresh H2 file unless given), a free port,
 * and the routes.
 */
public final class DestinationTestHub {
    private DestinationTestHub() {
    }

    public static Hub start(Map<String, String> overrides) throws Exception {
        return start(TestDatabases.h2(), overrides);
    }

    /** A hub on the given database (a URL of {@link TestDatabases}). */
    public static Hub start(String dbUrl, Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("hub.db.url", dbUrl);
        props.put("hub.db.username", TestDatabases.user(dbUrl));
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
            b.bounceType(BounceType.HARD).reason("mailbox does not exist");
        }
        if (type == EventType.CLICKED) {
            b.url("https://example.com/pricing");
        }
        return b.build(occurredAt.plusSeconds(1), occurredAt);
    }
}
