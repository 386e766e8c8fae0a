package com.emaileventhub.bench;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Archive drain rate: N events are put in the journal queued for the archive while the hub runs, and the
 * time until the archive queue is empty is measured. Usage (see bench/README.md):
 * ArchiveDrainBench h2|postgresql [events] [batch-size]
 */
public final class ArchiveDrainBench {
    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String batch = args.length > 2 ? args[2] : "500";
        String url = kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes(),
                "hub.archive.batch-size=" + batch, "hub.delivery.poll-interval=PT0.01S"))) {
            hub.delivery().engine().stop();   // fill the queue first, then measure the drain alone
            List<CanonicalEvent> events = DeliveryFixtures.events(n, EventType.OPENED);
            for (int i = 0; i < n; i += 1000) {
                List<CanonicalEvent> chunk = new ArrayList<>(events.subList(i, Math.min(n, i + 1000)));
                DeliveryFixtures.store(hub.database(), chunk, "archive");
            }
            DeliveryQueue queue = new DeliveryQueue(hub.database());
            long start = System.nanoTime();
            hub.delivery().engine().start(hub.context());
            while (queue.backlog("archive").pending() > 0) {
                LockSupport.parkNanos(5_000_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH archive drain %s: %d events, batch %s, %.2f s, %.0f events/s%n", kind, n, batch,
                    seconds, n / seconds);
        }
    }
}
