package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.overrides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.Journal;
import com.emaileventhub.support.TestDatabases;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backlog gauges read what is pending: zero for an empty queue, the oldest item's age otherwise. */
class DeliveryBacklogTest {
    private static final Pattern OLDEST =
            Pattern.compile("(?m)^hub_delivery_oldest_pending_seconds\\{destination=\"fake\"} (\\S+)$");
    private static final Pattern BACKLOG = Pattern.compile("(?m)^hub_delivery_backlog\\{destination=\"fake\"} (\\S+)$");

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void oldest_pending_age_is_zero_for_an_empty_queue_and_the_oldest_items_age_otherwise(TestDatabases.Kind kind)
            throws Exception {
        String url = kind.freshUrl();
        try (Hub hub = DeliveryFixtures.start(overrides(url, DeliveryFixtures.routes()))) {
            DeliveryQueue queue = new DeliveryQueue(hub.database());
            assertThat(queue.backlog("fake")).isEqualTo(new DeliveryQueue.Backlog(0, null));
            // a few gauge refreshes (every 0.1 s here) on the empty queue
            await().atMost(5, TimeUnit.SECONDS).until(() -> metric(hub, BACKLOG) != null);
            await().pollDelay(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(metric(hub, OLDEST)).isEqualTo(0.0));

            fake(hub).alwaysFail = true;
            Instant queuedAt = Instant.now().minusSeconds(30);
            Map<String, List<String>> toFake = new HashMap<>();
            var events = events(3, EventType.OPENED);
            events.forEach(e -> toFake.put(e.id(), List.of("fake")));
            new Journal(hub.database()).store("test", null, events, toFake, queuedAt);

            assertThat(queue.backlog("fake")).isEqualTo(new DeliveryQueue.Backlog(3, queuedAt.toEpochMilli()));
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(metric(hub, BACKLOG)).isEqualTo(3.0);
                assertThat(metric(hub, OLDEST)).isBetween(30.0, 90.0);
            });
        } finally {
            TestDatabases.drop(url);
        }
    }

    private static Double metric(Hub hub, Pattern line) {
        Matcher m = line.matcher(call(hub, "GET", "/observe/metrics").body());
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }
}
