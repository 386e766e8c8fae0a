package com.emaileventhub.bench;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.RabbitBroker;
import com.emaileventhub.support.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Drain rate of one destination: N events are put in the journal queued for it while the hub runs, and the
 * time until its queue is empty is measured. archive writes to the hub's own database; rabbitmq publishes to the
 * broker on 127.0.0.1:5672 (a durable queue bound to a fresh exchange takes every message, deleted after).
 * Usage (see bench/README.md): DrainBench h2|postgresql [events] [batch-size] [archive|rabbitmq]
 */
public final class DrainBench {
    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String batch = args.length > 2 ? args[2] : "500";
        String destination = args.length > 3 ? args[3] : "archive";
        String url = kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        boolean rabbitmq = destination.equals("rabbitmq");
        try (RabbitBroker.Binding binding = rabbitmq ? RabbitBroker.bind("#") : null;
             Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes(),
                     "hub." + destination + ".batch-size=" + batch, "hub.delivery.poll-interval=PT0.01S",
                     "hub.rabbitmq.enabled=" + rabbitmq, "hub.stream.rabbitmq.uri=" + RabbitBroker.URI,
                     "hub.stream.rabbitmq.exchange=" + (rabbitmq ? binding.exchange() : "email-events")))) {
            hub.delivery().engine().stop();   // fill the queue first, then measure the drain alone
            List<CanonicalEvent> events = DeliveryFixtures.events(n, EventType.OPENED);
            for (int i = 0; i < n; i += 1000) {
                List<CanonicalEvent> chunk = new ArrayList<>(events.subList(i, Math.min(n, i + 1000)));
                DeliveryFixtures.store(hub.database(), chunk, destination);
            }
            DeliveryQueue queue = new DeliveryQueue(hub.database());
            long start = System.nanoTime();
            hub.delivery().engine().start(hub.context());
            while (queue.backlog(destination).pending() > 0) {
                LockSupport.parkNanos(5_000_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH %s drain %s: %d events, batch %s, %.2f s, %.0f events/s%n", destination, kind, n, batch,
                    seconds, n / seconds);
        }
    }
}
