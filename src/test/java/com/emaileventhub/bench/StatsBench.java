package com.emaileventhub.bench;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.store.InsightStore;
import com.emaileventhub.support.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * GET /api/stats over 90 days, daily buckets, grouped by ESP, with N sends stored. The sends (History: four ESPs,
 * eight recipient domains, five tags, about 2.5 events per send) are applied through the insight destination's own
 * code (InsightStore.apply, batches of about 5,000 events, in time order as they would arrive), then the query is
 * timed over real HTTP. Usage (bench/README.md): StatsBench h2|postgresql [sends] [runs]; with BENCH_KEEP=1 the
 * history is kept and reused by the next run (KeptHistory).
 */
public final class StatsBench {

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String kept = KeptHistory.url(kind);
        String url = kept != null ? kept : kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes(),
                "hub.db.pool-size=4"))) {
            if (kept != null) {
                KeptHistory.ensure(hub, kind, sends);
            } else {
                hub.delivery().engine().stop();
                long start = System.nanoTime();
                long events = History.apply(hub.context().getRegistry().lookupByNameAndType("insightStore", InsightStore.class),
                        sends, Instant.now(), new Random(42));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH stats load %s: %d sends (%d events) applied in %.1f s (%.0f sends/s)%n", kind,
                        sends, events, seconds, sends / seconds);
            }
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            Instant from = today.minus(90, ChronoUnit.DAYS);
            // every call asks for another range: H2 answers a query repeated on the same connection, with the same
            // parameters and no table changed since, from the result it kept (Query.lastResult), which a hub taking
            // events rarely gets; the repeated URL measured 0.13-0.19 s where a new rolling range took 2.4 s
            time(hub, kind, "baseline GET /api/events?limit=1", i -> "/api/events?limit=1", runs);
            time(hub, kind, "aligned", i -> "/api/stats?bucket=day&group_by=esp&from=" + from.minus(i, ChronoUnit.DAYS)
                    + "&to=" + today.minus(i, ChronoUnit.DAYS), runs);
            Instant now = Instant.now();
            time(hub, kind, "now-90d..now", i -> "/api/stats?bucket=day&group_by=esp&from="
                    + now.minus(90, ChronoUnit.DAYS).minus(i, ChronoUnit.MINUTES) + "&to=" + now.minus(i, ChronoUnit.MINUTES), runs);
        } finally {
            if (kept == null) {
                TestDatabases.drop(url);
            }
        }
    }

    /** Times {@code runs} calls after 5 to warm up; call i asks for {@code path.apply(i)}. */
    private static void time(Hub hub, String kind, String label, IntFunction<String> path, int runs) {
        for (int i = 0; i < 5; i++) {
            check(DeliveryFixtures.call(hub, "GET", path.apply(runs + i)));
        }
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            check(DeliveryFixtures.call(hub, "GET", path.apply(i)));
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
