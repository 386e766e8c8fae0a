package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.overrides;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two hub instances on one PostgreSQL drain one queue: every item is delivered exactly once. */
class TwoInstancesTest {

    @Test
    void two_instances_on_one_postgresql_deliver_each_item_exactly_once() throws Exception {
        String db = DeliveryFixtures.postgresUrl("two");
        Path routes = DeliveryFixtures.routes();
        List<CanonicalEvent> events = events(2000, EventType.CLICKED);
        try (Hub a = DeliveryFixtures.start(overrides(db, routes, "hub.fake.batch-size=25", "hub.instance-id=a"));
             Hub b = DeliveryFixtures.start(overrides(db, routes, "hub.fake.batch-size=25", "hub.instance-id=b"))) {
            FakeDestination fa = fake(a);
            FakeDestination fb = fake(b);
            store(a.database(), events, "fake");
            await().atMost(60, TimeUnit.SECONDS).until(() -> fa.total() + fb.total() >= 2000);
            Map<String, Integer> counts = new HashMap<>();
            fa.delivered.forEach((id, n) -> counts.merge(id, n.get(), Integer::sum));
            fb.delivered.forEach((id, n) -> counts.merge(id, n.get(), Integer::sum));
            assertThat(counts).hasSize(2000);
            assertThat(counts.values()).containsOnly(1);
            assertThat(fa.total()).isPositive();
            assertThat(fb.total()).isPositive();
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    new com.emaileventhub.store.DeliveryQueue(a.database()).backlog("fake").pending() == 0);
        }
    }
}
