package com.emaileventhub.bench;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.InsightStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The benches' email history: sends over the last 90 days across four ESPs, eight recipient domains and five tags
 * (deliveries, bounces with reasons, complaints, human and machine opens, clicks on a few dozen links,
 * unsubscribes), about 2.5 events per send, the same for the same seed.
 */
final class History {
    private static final String[] ESPS = {"sendgrid", "mailgun", "postmark", "ses"};
    private static final String[] DOMAINS = {"gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
        "example.org", "corp.example"};
    private static final String[] TAGS = {"welcome", "digest", "promo", "receipt", "reactivation"};
    private static final String[] REASONS = {"550 5.1.1 user unknown", "552 5.2.2 mailbox full", "554 5.7.1 blocked by policy",
        "421 4.7.0 try again later"};
    private static final long SPAN_SECONDS = 90L * 86_400;

    private History() {
    }

    /** One send at a random time within the last 90 days. */
    static List<CanonicalEvent> send(int i, Instant now, Random random) {
        return send(i, now.minusSeconds(60 + (long) (random.nextDouble() * SPAN_SECONDS)), now, random);
    }

    /**
     * Applies N sends through the insight destination's own code in the order they would arrive (send i at
     * i/N of the 90 days), in batches of about 5,000 events; returns the events applied.
     */
    static long apply(InsightStore store, int sends, Instant now, Random random) {
        return apply(store, sends, now, random, done -> { });
    }

    /** As {@link #apply(InsightStore, int, Instant, Random)}, telling {@code progress} the sends applied after each batch. */
    static long apply(InsightStore store, int sends, Instant now, Random random, IntConsumer progress) {
        Instant from = now.minusSeconds(SPAN_SECONDS);
        List<CanonicalEvent> batch = new ArrayList<>();
        long events = 0;
        for (int i = 0; i < sends; i++) {
            Instant at = from.plusSeconds(SPAN_SECONDS * i / sends - 60).plusMillis(random.nextInt(60_000));
            batch.addAll(send(i, at, now, random));
            if (batch.size() >= 5_000 || i == sends - 1) {
                store.apply(batch);
                events += batch.size();
                batch = new ArrayList<>();
                progress.accept(i + 1);
            }
        }
        return events;
    }

    /** One send's events at its time: outcomes at rates that differ a little per ESP. */
    private static List<CanonicalEvent> send(int i, Instant at, Instant now, Random random) {
        String esp = ESPS[random.nextInt(ESPS.length)];
        String recipient = "user" + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
        String tag = TAGS[random.nextInt(TAGS.length)];
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
