package com.emaileventhub.bench;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.support.Figures;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.Browser;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.openqa.selenium.OutputType;

/**
 * The dashboard's first screen with a realistic history: N sends over the last 90 days across four ESPs
 * (deliveries, bounces, complaints, human and machine opens, clicks on a few dozen links, unsubscribes), stored
 * through the insight destination; then headless Chromium opens /dashboard several times per range and the
 * time from navigation start to the page's "dashboard-ready" mark (every panel drawn) is printed. With a
 * third argument the first screen of the 7-day view is saved there as PNG (docs/dashboard.png).
 * Usage (see bench/README.md): DashboardBench h2|postgresql [sends] [screenshot.png]; with BENCH_KEEP=1 the history is
 * kept in a named database and reused by the next run (KeptHistory), filled through InsightStore.apply.
 */
public final class DashboardBench {
    private static final int RUNS = 7;
    /** Loads before the timed ones: a hub that has served its dashboard before has its query code compiled. */
    private static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String kept = KeptHistory.url(kind);
        String url = kept != null ? kept : kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        // the hub's own pool size (application.properties), not the test runner's 4: the page makes seven calls at once
        try (HubRunner hub = HubRunner.start(Map.of("hub.db.url", url, "hub.db.username", TestDatabases.user(url),
                "hub.db.password", "", "hub.delivery.poll-interval", "PT0.01S",
                "hub.db.pool-size", HubConfig.load(Map.of()).get("hub.db.pool-size")))) {
            if (kept != null) {
                KeptHistory.ensure(hub.hub(), kind, sends);
            } else {
                fill(hub, kind, sends);
            }
            measure(hub, kind, args.length > 2 ? Path.of(args[2]) : null);
        } finally {
            if (kept == null && kind.equals("postgresql")) {
                TestDatabases.drop(url);
            }
        }
    }

    /** Stores the history queued for the insight destination and waits until the figures hold all of it. */
    private static void fill(HubRunner hub, String kind, int sends) {
        long start = System.nanoTime();
        Instant now = Instant.now();
        Random random = new Random(42);
        List<CanonicalEvent> chunk = new ArrayList<>();
        int events = 0;
        for (int i = 0; i < sends; i++) {
            chunk.addAll(History.send(i, now, random));
            if (chunk.size() >= 2000 || i == sends - 1) {
                DeliveryFixtures.store(hub.hub().database(), chunk);
                events += chunk.size();
                chunk.clear();
            }
        }
        DeliveryQueue queue = new DeliveryQueue(hub.hub().database());
        while (!Figures.counted(hub.hub().database())) {
            LockSupport.parkNanos(20_000_000);
        }
        System.out.printf("BENCH dashboard %s: %d sends, %d events stored and applied in %.1f s%n", kind, sends, events,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Each load asks for a range no earlier load asked for (ending one minute earlier each time): the page's own
     * range ends at the next whole minute, and H2 answers a repeated query from the result it kept, so five loads of
     * "90d" within one minute would time H2's cache after the first.
     */
    private static void measure(HubRunner hub, String kind, Path screenshot) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        int load = 0;
        try (Browser browser = new Browser()) {
            browser.viewport(1280, 800);
            for (String range : List.of("7d", "90d")) {
                double[] ms = new double[RUNS];
                Map<String, List<Double>> calls = new java.util.TreeMap<>();
                for (int w = 0; w < WARMUP; w++) {
                    Instant to = end.minus(load++, ChronoUnit.MINUTES);
                    firstScreen(browser, hub, "from=" + to.minus(Integer.parseInt(range.replace("d", "")), ChronoUnit.DAYS)
                            + "&to=" + to);
                }
                for (int r = 0; r < RUNS; r++) {
                    Instant to = end.minus(load++, ChronoUnit.MINUTES);
                    Instant from = to.minus(Integer.parseInt(range.replace("d", "")), ChronoUnit.DAYS);
                    ms[r] = firstScreen(browser, hub, "from=" + from + "&to=" + to);
                    calls(browser).forEach((path, t) -> calls.computeIfAbsent(path, k -> new ArrayList<>()).add(t));
                    if (r == 0 && range.equals("7d") && screenshot != null) {
                        Files.write(screenshot, browser.driver().getScreenshotAs(OutputType.BYTES));
                    }
                }
                Arrays.sort(ms);
                System.out.printf("BENCH dashboard %s first screen, range %s: median %.0f ms, min %.0f ms, max %.0f ms (%d loads)%n",
                        kind, range, ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
                calls.forEach((path, t) -> {
                    t.sort(null);
                    System.out.printf("BENCH dashboard %s range %s call %s: median %.0f ms, max %.0f ms (%d calls)%n", kind,
                            range, path, t.get(t.size() / 2), t.get(t.size() - 1), t.size());
                });
            }
        }
    }

    /** What the last load fetched (query left off) and DOMContentLoaded: how long each took, and when it ended (ms after start). */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> calls(Browser browser) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) browser.driver().executeScript(
                "return performance.getEntriesByType('resource')"
                        + ".map(e => ({path: new URL(e.name).pathname + (e.transferSize === 0 && !e.name.includes('/api/') ? ' (cached)' : ''), end: e.responseEnd, took: e.duration, start: e.startTime}))"
                        + ".concat(performance.getEntriesByType('navigation').map(e =>"
                        + " ({path: 'DOMContentLoaded', end: e.domContentLoadedEventEnd, took: e.domContentLoadedEventEnd - e.responseEnd})))"
                        + ".concat(performance.getEntriesByName('dashboard-data').map(e =>"
                        + " ({path: 'every answer in (mark dashboard-data)', end: e.startTime, took: 0})));");
        Map<String, Double> byPath = new java.util.TreeMap<>();
        for (Map<String, Object> e : entries) {
            byPath.merge(e.get("path") + " (took)", ((Number) e.get("took")).doubleValue(), Math::max);
            byPath.merge(e.get("path") + " (ended at)", ((Number) e.get("end")).doubleValue(), Math::max);
            if (e.get("start") != null) {
                byPath.merge(e.get("path") + " (started at)", ((Number) e.get("start")).doubleValue(), Math::min);
            }
        }
        return byPath;
    }

    /** Loads the page in a fresh document; milliseconds from navigation start to every panel drawn. */
    private static double firstScreen(Browser browser, HubRunner hub, String range) {
        browser.driver().get("about:blank");
        browser.driver().get("http://127.0.0.1:" + hub.port() + "/dashboard#token=" + HubRunner.ADMIN_TOKEN + "&" + range);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Object t = browser.driver().executeScript(
                    "const m = performance.getEntriesByName('dashboard-ready'); return m.length ? m[0].startTime : null;");
            if (t != null) {
                return ((Number) t).doubleValue();
            }
            LockSupport.parkNanos(10_000_000);
        }
        throw new IllegalStateException("the dashboard was not ready within 60 s: " + browser.console());
    }
}
