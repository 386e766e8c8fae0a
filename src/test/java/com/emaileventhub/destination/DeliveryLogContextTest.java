package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Delivery log lines carry the destination (and a dead event's id) in their logging context (MDC). */
class DeliveryLogContextTest {

    @Test
    void a_failed_delivery_and_a_dead_event_are_logged_with_the_destination_and_the_event() throws Exception {
        String url = TestDatabases.h2();
        try (LogCapture log = LogCapture.of(DestinationWorker.class)) {
            Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes()));
            try {
                FakeDestination fake = fake(hub);
                fake.failuresLeft.set(1);
                List<CanonicalEvent> events = events(2, EventType.DELIVERED);
                fake.refuse.add(events.get(1).id());
                store(hub.database(), events, "fake");

                await().atMost(20, TimeUnit.SECONDS).until(() -> log.warningLines().stream()
                        .anyMatch(l -> l.message().contains("is dead for this destination")));
                LogCapture.Line failed = log.warningLines().stream()
                        .filter(l -> l.message().contains("delivery of 2 events failed")).findFirst().orElseThrow();
                assertThat(failed.context()).isEqualTo(Map.of("destination", "fake"));
                LogCapture.Line dead = log.warningLines().stream()
                        .filter(l -> l.message().contains("is dead for this destination")).findFirst().orElseThrow();
                assertThat(dead.context()).isEqualTo(Map.of("destination", "fake", "event", events.get(1).id()));
            } finally {
                hub.close();
            }
        }
    }
}
