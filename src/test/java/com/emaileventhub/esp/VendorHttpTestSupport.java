package com.emaileventhub.esp;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.StoredEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What every vendor's real-HTTP test shares: one hub per class started with the vendor's keys, and
 * the events that vendor stored since the current test began (tests in a class run one at a time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class VendorHttpTestSupport {
    protected HubRunner hub;
    protected Instant since;

    /** The vendor key whose rows {@link #stored()} reads. */
    protected abstract String vendor();

    /** The hub's configuration overrides (the vendor's keys); may prepare files first. */
    protected abstract Map<String, String> hubConfig() throws Exception;

    @BeforeAll
    void startHub() throws Exception {
        hub = HubRunner.start(hubConfig());
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    @BeforeEach
    void markTestStart() {
        since = Instant.now();
    }

    /** One-line summaries of this vendor's rows stored since the test began. */
    protected List<String> stored() {
        return StoredEvents.since(hub.dataSource(), vendor(), since);
    }

    /** The canonical events this vendor stored since the test began. */
    protected List<JsonNode> storedEvents() {
        return StoredEvents.eventsSince(hub.dataSource(), vendor(), since);
    }
}
