package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.overrides;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two hub instances on one PostgreSQL drain one queue: every item is delivered exactly once, every address suppressed once. */
class TwoInstancesTest {

    @Test
    void two_instances_on_one_postgresql_deliver_each_item_exactly_once() throws Exception {
        String db = TestDatabases.postgres();
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
            await().atMost(10, TimeUnit.SECONDS).until(() -> new DeliveryQueue(a.database()).backlog("fake").pending() == 0);
        }
    }

    @Test
    void two_instances_on_one_postgresql_suppress_each_address_once_from_interleaved_batches() throws Exception {
        String db = TestDatabases.postgres();
        Path routes = DeliveryFixtures.routes();
        Instant t = Instant.parse("2026-03-06T10:00:00Z");
        List<CanonicalEvent> events = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            for (int a = 0; a < 30; a++) {
                String cased = n % 2 == 0 ? "Person" + a + "@Example.com" : "person" + a + "@example.com";
                events.add(DeliveryFixtures.event(cased, EventType.BOUNCED, BounceType.HARD, t.plusSeconds(n)));
            }
        }
        Collections.shuffle(events, new Random(3));
        try (Hub a = DeliveryFixtures.start(overrides(db, routes, "hub.suppression.batch-size=7", "hub.instance-id=a"));
             Hub b = DeliveryFixtures.start(overrides(db, routes, "hub.suppression.batch-size=7", "hub.instance-id=b"))) {
            for (int from = 0; from < events.size(); from += 40) {
                store(a.database(), events.subList(from, from + 40), "suppression");
            }
            await().atMost(60, TimeUnit.SECONDS).until(() ->
                    new DeliveryQueue(a.database()).backlog("suppression").pending() == 0);
            SuppressionStore suppressions = a.delivery().suppressions();
            assertThat(suppressions.list(100, null).items()).hasSize(30);
            for (int i = 0; i < 30; i++) {
                String email = "person" + i + "@example.com";
                assertThat(suppressions.get(email).firstAt()).as(email).isEqualTo(t.toEpochMilli());
                assertThat(suppressions.get(email).lastAt()).as(email).isEqualTo(t.plusSeconds(7).toEpochMilli());
                assertThat(suppressions.audit(email)).as(email).extracting(SuppressionStore.AuditEntry::action)
                        .containsExactly("suppress");
            }
            assertThat(Rows.strings(a.database().dataSource(), "SELECT DISTINCT status FROM hub_delivery "
                    + "WHERE destination = 'suppression'")).containsExactly("delivered");
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void two_instances_on_one_postgresql_following_the_routed_cursors_apply_each_chosen_event_once() throws Exception {
        String db = TestDatabases.postgres();
        Path routes = DeliveryFixtures.routes();
        Instant now = Instant.now();
        List<CanonicalEvent> opens = new ArrayList<>();
        List<CanonicalEvent> others = new ArrayList<>();
        List<CanonicalEvent> bounces = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            opens.add(DeliveryFixtures.event("reader" + i + "@example.com", EventType.OPENED, null, now.minusSeconds(i)));
            others.add(DeliveryFixtures.event("reader" + i + "@example.com", EventType.DELIVERED, null, now.minusSeconds(i)));
        }
        for (int i = 0; i < 30; i++) {
            bounces.add(DeliveryFixtures.event("gone" + i + "@example.com", EventType.BOUNCED, BounceType.HARD, now.minusSeconds(i)));
        }
        String[] small = {"hub.leads.batch-size=7", "hub.suppression.batch-size=3", "hub.delivery.poll-interval=PT0.05S"};
        try (Hub a = DeliveryFixtures.start(overrides(db, routes, concat(small, "hub.instance-id=a")));
             Hub b = DeliveryFixtures.start(overrides(db, routes, concat(small, "hub.instance-id=b")))) {
            for (int from = 0; from < 300; from += 30) {
                // the delivered events are chosen for neither: the cursors pass them
                DeliveryFixtures.storeRouted(a.database(), others.subList(from, from + 30));
                DeliveryFixtures.storeRouted(b.database(), opens.subList(from, from + 30), "leads");
                DeliveryFixtures.storeRouted(a.database(), bounces.subList(from / 10, from / 10 + 3), "suppression");
            }
            await().atMost(60, TimeUnit.SECONDS).until(() ->
                    new JournalCursor(a.database(), "leads", true).backlog().pending() == 0
                            && new JournalCursor(a.database(), "suppression", true).backlog().pending() == 0);
            // counted once across both instances: an instance whose move lost the compare-and-set applied nothing
            await().atMost(10, TimeUnit.SECONDS).until(() -> delivered(a, b, "leads") >= 300 && delivered(a, b, "suppression") >= 30);
            assertThat(delivered(a, b, "leads")).isEqualTo(300);
            assertThat(delivered(a, b, "suppression")).isEqualTo(30);
            assertThat(Rows.count(a.database().dataSource(), "SELECT COUNT(*) FROM lead_open")).isEqualTo(300);
            SuppressionStore suppressions = a.delivery().suppressions();
            assertThat(suppressions.list(100, null).items()).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(suppressions.audit("gone" + i + "@example.com")).extracting(SuppressionStore.AuditEntry::action)
                        .containsExactly("suppress");
            }
            // nothing went through the outbox
            assertThat(Rows.count(a.database().dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE destination IN "
                    + "('leads', 'suppression')")).isZero();
        } finally {
            TestDatabases.drop(db);
        }
    }

    private static double delivered(Hub a, Hub b, String destination) {
        return DeliveryFixtures.deliveryMetric(a, "hub_delivery_delivered_total", destination)
                + DeliveryFixtures.deliveryMetric(b, "hub_delivery_delivered_total", destination);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
