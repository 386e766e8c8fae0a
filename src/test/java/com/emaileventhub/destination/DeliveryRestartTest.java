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
import com.emaileventhub.store.Database;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A hub stopped or crashed in the middle of deliveries, restarted on the same database of each kind. */
class DeliveryRestartTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void restart_in_the_middle_of_a_backlog_loses_nothing_and_delivers_the_rest_once(TestDatabases.Kind kind)
            throws Exception {
        String db = kind.freshUrl();
        Path routes = DeliveryFixtures.routes();
        List<CanonicalEvent> events = events(200, EventType.DELIVERED);
        FakeDestination first;
        try (Hub hub = DeliveryFixtures.start(overrides(db, routes, "hub.fake.batch-size=20"))) {
            first = fake(hub);
            first.capacity = 60;
            store(hub.database(), events, "fake");
            await().atMost(10, TimeUnit.SECONDS).until(() -> first.total() == 60 && first.calls.size() > 3);
            assertThat(new DeliveryQueue(hub.database()).backlog("fake").pending()).isEqualTo(140);
        }
        try (Hub hub = DeliveryFixtures.start(overrides(db, routes, "hub.fake.batch-size=20"))) {
            FakeDestination second = fake(hub);
            await().atMost(20, TimeUnit.SECONDS).until(() -> second.total() == 140);
            Set<String> all = new HashSet<>(first.delivered.keySet());
            all.addAll(second.delivered.keySet());
            assertThat(all).hasSize(200);
            assertThat(first.delivered.keySet()).doesNotContainAnyElementsOf(second.delivered.keySet());
            assertThat(second.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void items_leased_by_a_crashed_instance_are_delivered_once_the_lease_runs_out(TestDatabases.Kind kind)
            throws Exception {
        String url = kind.freshUrl();
        List<CanonicalEvent> events = events(10, EventType.OPENED);
        long leaseEnd = System.currentTimeMillis() + 1500;
        try (Database db = TestDatabases.open(url, 2)) {
            store(db, events, "fake");
            // a hub that claimed the batch and died before recording any outcome
            assertThat(new DeliveryQueue(db).claim("fake", 100, System.currentTimeMillis(), leaseEnd, "crashed"))
                    .hasSize(10);
        }
        try (Hub hub = DeliveryFixtures.start(overrides(url, DeliveryFixtures.routes()))) {
            FakeDestination fake = fake(hub);
            await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 10);
            assertThat(fake.calls.get(0)).isNotNull();
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(leaseEnd);
            assertThat(fake.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
    }
}
