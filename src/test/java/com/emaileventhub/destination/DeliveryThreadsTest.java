package com.emaileventhub.destination;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.Hub;
import com.emaileventhub.support.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.Test;

/**
 * The delivery loops run on Camel-managed threads that end with the hub, even with a poll scheduled an hour ahead,
 * and the producers the workers send with are stopped with the context.
 */
class DeliveryThreadsTest {

    @Test
    void delivery_threads_are_camel_pools_named_for_the_destination_and_end_promptly_at_shutdown() throws Exception {
        Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(TestDatabases.h2(), DeliveryFixtures.routes(),
                "hub.delivery.poll-interval=PT1H"));
        List<Thread> threads;
        Set<ProducerTemplate> producers = hub.context().hasServices(ProducerTemplate.class);
        assertThat(producers).as("the delivery workers' producers are services of the context").isNotEmpty();
        try {
            // the first round ran at start: the next poll now waits an hour in the pool's queue
            threads = deliveryThreads();
            assertThat(threads).isNotEmpty().allSatisfy(t -> {
                assertThat(t.getName()).startsWith("Camel (").endsWith("hub-deliver-fake");
                assertThat(t.isDaemon()).isTrue();
            });
        } finally {
            long started = System.nanoTime();
            hub.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(producers).allSatisfy(p -> assertThat(((ServiceSupport) p).isStopped()).isTrue());
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
    }

    private static List<Thread> deliveryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith("hub-deliver-fake")).toList();
    }
}
