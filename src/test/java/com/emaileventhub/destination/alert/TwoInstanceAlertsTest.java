package com.emaileventhub.destination.alert;

import com.emaileventhub.support.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.AlertStore.Change;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two hub instances on one PostgreSQL evaluating at the same moment open and notify an alert once. */
class TwoInstanceAlertsTest {

    @Test
    void two_instances_evaluating_together_notify_each_channel_once() throws Exception {
        String db = TestDatabases.postgres();
        Path routes = DeliveryFixtures.routes();
        Instant t = AlertRulesTest.T;
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean hard = i < 40;
            events.add(AlertRulesTest.event("ses", "w" + i + "@example.com", "ses-" + i,
                    hard ? EventType.BOUNCED : EventType.DELIVERED, hard ? BounceType.HARD : null,
                    t.minus(Duration.ofMinutes(20))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (FakeChannels channels = new FakeChannels();
             Hub a = DeliveryFixtures.start(DeliveryFixtures.overrides(db, routes, channels.overrides("hub.instance-id=a")));
             Hub b = DeliveryFixtures.start(DeliveryFixtures.overrides(db, routes, channels.overrides("hub.instance-id=b")))) {
            DeliveryFixtures.store(a.database(), events);
            DeliveryQueue queue = new DeliveryQueue(a.database());
            await().atMost(60, TimeUnit.SECONDS).until(() -> Figures.counted(a.database()));
            int notified = 0;
            for (int round = 0; round < 5; round++) {
                Instant at = t.plusSeconds(round);
                List<Future<List<Change>>> both = pool.invokeAll(List.<Callable<List<Change>>>of(
                        () -> engine(a).evaluate(at), () -> engine(b).evaluate(at)));
                for (Future<List<Change>> f : both) {
                    notified += f.get().size();
                }
            }
            assertThat(notified).isEqualTo(1);
            await().atMost(30, TimeUnit.SECONDS).until(() -> channels.at("/slack").size() >= 1
                    && channels.at("/pagerduty").size() >= 1 && channels.at("/webhook").size() >= 1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> queue.backlog(AlertChannels.SLACK).pending() == 0);
            assertThat(channels.at("/slack")).hasSize(1);
            assertThat(channels.at("/pagerduty")).hasSize(1);
            assertThat(channels.at("/webhook")).hasSize(1);
        } finally {
            pool.shutdownNow();
            TestDatabases.drop(db);
        }
    }

    private static AlertEngine engine(Hub hub) {
        return hub.context().getRegistry().lookupByNameAndType("alertEngine", AlertEngine.class);
    }
}
