package com.emaileventhub.bench;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.InsightStore;
import com.emaileventhub.support.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * GET /api/stats over 90 days, daily buckets, grouped by ESP, with N sends stored. The sends (one delivered
 * event each, a third opened, a tenth clicked, 5 ESPs, 40 recipient domains, 8 tags) are applied through the
 * insight destination's own code (InsightStore.apply, batches of 5,000, in time order as they would arrive),
 * then the query is timed over real HTTP. Usage (bench/README.md): StatsBench h2|postgresql [sends] [runs]
 */
public final class StatsBench {
    private static final String[] ESPS = {"sendgrid", "postmark", "mailgun", "ses", "sparkpost"};
    private static final int BATCH = 5_000;

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String url = kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes(),
                "hub.db.pool-size=4"))) {
            hub.delivery().engine().stop();
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            Instant from = today.minus(90, ChronoUnit.DAYS);
            long load = load(hub.context().getRegistry().lookupByNameAndType("insightStore", InsightStore.class),
                    from, sends);
            System.out.printf("BENCH stats load %s: %d sends applied in %.1f s (%.0f sends/s)%n", kind, sends,
                    load / 1e9, sends / (load / 1e9));
            time(hub, kind, "baseline GET /api/events?limit=1", "/api/events?limit=1", runs);
            time(hub, kind, "aligned", "/api/stats?bucket=day&group_by=esp&from=" + from + "&to=" + today, runs);
            Instant now = Instant.now();
            time(hub, kind, "now-90d..now", "/api/stats?bucket=day&group_by=esp&from=" + now.minus(90, ChronoUnit.DAYS)
                    + "&to=" + now, runs);
        }
    }

    private static long load(InsightStore store, Instant from, int sends) {
        Random random = new Random(42);
        long span = 90L * 86_400_000L;
        long start = System.nanoTime();
        List<CanonicalEvent> batch = new ArrayList<>(BATCH * 2);
        for (int i = 0; i < sends; i++) {
            Instant at = from.plusMillis(span * i / sends + random.nextInt(60_000));
            String esp = ESPS[random.nextInt(ESPS.length)];
            String recipient = "u" + i + "@d" + random.nextInt(40) + ".example";
            String tag = "t" + random.nextInt(8);
            batch.add(event(esp, i, recipient, tag, EventType.DELIVERED, at));
            if (i % 3 == 0) {
                batch.add(event(esp, i, recipient, tag, EventType.OPENED, at.plusSeconds(3600)));
            }
            if (i % 10 == 0) {
                batch.add(event(esp, i, recipient, tag, EventType.CLICKED, at.plusSeconds(3700)));
            }
            if (batch.size() >= BATCH) {
                store.apply(batch);
                batch = new ArrayList<>(BATCH * 2);
            }
        }
        store.apply(batch);
        return System.nanoTime() - start;
    }

    private static CanonicalEvent event(String esp, int i, String recipient, String tag, EventType type, Instant at) {
        return CanonicalEvent.builder(esp).type(type).messageId("m" + i).recipient(recipient).tag(tag).occurredAt(at)
                .url(type == EventType.CLICKED ? "https://example.com/l" + (i % 20) : null).build(at, at);
    }

    private static void time(Hub hub, String kind, String label, String path, int runs) {
        for (int i = 0; i < 5; i++) {
            check(DeliveryFixtures.call(hub, "GET", path));
        }
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            check(DeliveryFixtures.call(hub, "GET", path));
            ms[i] = (System.nanoTime() - t) / 1_000;
        }
        Arrays.sort(ms);
        System.out.printf("BENCH stats query %s %s: median %.1f ms, p95 %.1f ms, max %.1f ms (%d runs)%n", kind, label,
                ms[runs / 2] / 1000.0, ms[(int) (runs * 0.95)] / 1000.0, ms[runs - 1] / 1000.0, runs);
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("stats answered " + r.statusCode() + ": " + r.body());
        }
    }
}
