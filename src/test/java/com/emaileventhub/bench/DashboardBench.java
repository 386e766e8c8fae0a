package com.emaileventhub.bench;

import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openqa.selenium.OutputType;

/**
 * The dashboard's first screen with a realistic history: N sends over the last 90 days across four ESPs
 * (deliveries, bounces, complaints, human and machine opens, clicks on a few dozen links, unsubscribes), stored
 * through the insight destination; then headless Chromium opens /dashboard several times per range and the
 * time from navigation start to the page's "dashboard-ready" mark (every panel drawn) is printed. With a
 * third argument the first screen of the 7-day view is saved there as PNG (docs/dashboard.png).
 * Usage (see bench/README.md): DashboardBench h2|postgresql [sends] [screenshot.png]
 */
public final class DashboardBench {
    private static final String[] ESPS = {"sendgrid", "mailgun", "postmark", "ses"};
    private static final String[] DOMAINS = {"gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
        "example.org", "corp.example"};
    private static final String[] TAGS = {"welcome", "digest", "promo", "receipt", "reactivation"};
    private static final String[] REASONS = {"550 5.1.1 user unknown", "552 5.2.2 mailbox full", "554 5.7.1 blocked by policy",
        "421 4.7.0 try again later"};
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String url = kind.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2();
        try (HubRunner hub = HubRunner.start(Map.of("hub.db.url", url, "hub.db.username", TestDatabases.user(url),
                "hub.db.password", "", "hub.delivery.poll-interval", "PT0.01S"))) {
            fill(hub, kind, sends);
            measure(hub, kind, args.length > 2 ? Path.of(args[2]) : null);
        } finally {
            if (kind.equals("postgresql")) {
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
            chunk.addAll(send(i, now, random));
            if (chunk.size() >= 2000 || i == sends - 1) {
                DeliveryFixtures.store(hub.hub().database(), chunk, "insight");
                events += chunk.size();
                chunk.clear();
            }
        }
        DeliveryQueue queue = new DeliveryQueue(hub.hub().database());
        while (queue.backlog("insight").pending() > 0) {
            LockSupport.parkNanos(20_000_000);
        }
        System.out.printf("BENCH dashboard %s: %d sends, %d events stored and applied in %.1f s%n", kind, sends, events,
                (System.nanoTime() - start) / 1e9);
    }

    private static void measure(HubRunner hub, String kind, Path screenshot) throws Exception {
        try (Browser browser = new Browser()) {
            browser.viewport(1280, 800);
            for (String range : List.of("7d", "90d")) {
                double[] ms = new double[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    ms[r] = firstScreen(browser, hub, range);
                    if (r == 0 && range.equals("7d") && screenshot != null) {
                        Files.write(screenshot, browser.driver().getScreenshotAs(OutputType.BYTES));
                    }
                }
                Arrays.sort(ms);
                System.out.printf("BENCH dashboard %s first screen, range %s: median %.0f ms, min %.0f ms, max %.0f ms (%d loads)%n",
                        kind, range, ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
            }
        }
    }

    /** Loads the page in a fresh document; milliseconds from navigation start to every panel drawn. */
    private static double firstScreen(Browser browser, HubRunner hub, String range) {
        browser.driver().get("about:blank");
        browser.driver().get("http://127.0.0.1:" + hub.port() + "/dashboard#token=" + HubRunner.ADMIN_TOKEN + "&range=" + range);
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

    /** One send's events: its time within the last 90 days, outcomes at rates that differ a little per ESP. */
    private static List<CanonicalEvent> send(int i, Instant now, Random random) {
        String esp = ESPS[random.nextInt(ESPS.length)];
        String recipient = "user" + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
        String tag = TAGS[random.nextInt(TAGS.length)];
        Instant at = now.minusSeconds(60 + (long) (random.nextDouble() * 90 * 86_400));
        Event e = new Event(esp, esp + "-" + i, recipient, tag, now);
        List<CanonicalEvent> out = new ArrayList<>();
        out.add(e.of(EventType.SENT, at, b -> { }));
        double bounce = esp.equals("ses") ? 0.035 : 0.012;
        double roll = random.nextDouble();
        if (roll < bounce) {
            BounceType type = roll < bounce * 0.7 ? BounceType.HARD : BounceType.SOFT;
            String reason = REASONS[random.nextInt(REASONS.length)];
            out.add(e.of(EventType.BOUNCED, at.plusSeconds(5), b -> b.bounceType(type).reason(reason)));
            return out;
        }
        out.add(e.of(EventType.DELIVERED, at.plusSeconds(5), b -> { }));
        if (random.nextDouble() < (esp.equals("mailgun") ? 0.0012 : 0.0004)) {
            out.add(e.of(EventType.COMPLAINED, at.plusSeconds(3600), b -> { }));
        }
        if (random.nextDouble() < 0.08) {
            out.add(e.of(EventType.OPENED, at.plusSeconds(30), b -> b.machine("apple_mpp")));
        }
        if (random.nextDouble() < 0.32) {
            Instant open = at.plusSeconds(120 + random.nextInt(86_400));
            out.add(e.of(EventType.OPENED, open, b -> { }));
            if (random.nextDouble() < 0.25) {
                String link = "https://www.example.com/" + TAGS[random.nextInt(TAGS.length)] + "/item-" + random.nextInt(8);
                out.add(e.of(EventType.CLICKED, open.plusSeconds(20), b -> b.url(link + "?utm_source=email")));
            }
            if (random.nextDouble() < 0.004) {
                out.add(e.of(EventType.UNSUBSCRIBED, open.plusSeconds(40), b -> { }));
            }
        }
        return out;
    }

    /** The fields every event of one send shares. */
    private record Event(String esp, String messageId, String recipient, String tag, Instant receivedAt) {
        CanonicalEvent of(EventType type, Instant at, Consumer<CanonicalEvent.Builder> more) {
            CanonicalEvent.Builder b = CanonicalEvent.builder(esp).type(type).messageId(messageId).recipient(recipient)
                    .occurredAt(at).tag(tag);
            more.accept(b);
            return b.build(receivedAt, at);
        }
    }
}
