package com.emaileventhub.api;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random event histories for the insight property test: sends at several ESPs (SendGrid with per-event
 * sg_message_id suffixes), outcomes days after the send, machine opens and clicks, tags that differ between a
 * send's events, events of no send; then an arrival order (shuffled, with duplicates) in a few requests.
 */
final class InsightHistories {
    static final long WINDOW_DAYS = 40;
    private static final List<String> ESPS = List.of("sendgrid", "postmark", "mailgun", "ses");
    private static final List<String> DOMAINS = List.of("gmail.com", "yahoo.fr", "outlook.com", "icloud.com",
            "example.org", "corp.io");
    private static final List<String> TAGS = List.of("welcome", "promo", "digest");
    private static final List<EventType> TYPES = List.of(EventType.QUEUED, EventType.SENT, EventType.DELIVERED,
            EventType.DELIVERED, EventType.DEFERRED, EventType.BOUNCED, EventType.REJECTED, EventType.FAILED,
            EventType.OPENED, EventType.OPENED, EventType.CLICKED, EventType.COMPLAINED, EventType.UNSUBSCRIBED,
            EventType.AUTORESPONDED, EventType.UNKNOWN);

    /** The events, and the requests they arrive in (each a list; an event may come in several). */
    record History(List<CanonicalEvent> events, List<List<CanonicalEvent>> requests) {
    }

    private InsightHistories() {
    }

    static Arbitrary<History> histories(Instant base) {
        Arbitrary<List<CanonicalEvent>> sends = send(base).list().ofMinSize(1).ofMaxSize(12)
                .map(l -> l.stream().flatMap(List::stream).toList());
        Arbitrary<List<CanonicalEvent>> orphans = orphan(base).list().ofMaxSize(4);
        return Combinators.combine(sends, orphans, Arbitraries.randoms()).as((s, o, random) -> {
            List<CanonicalEvent> all = new ArrayList<>(s);
            all.addAll(o);
            List<CanonicalEvent> arrival = new ArrayList<>(all);
            for (CanonicalEvent e : all) {
                if (random.nextInt(4) == 0) {
                    arrival.add(e);   // posted again
                }
            }
            Collections.shuffle(arrival, random);
            List<List<CanonicalEvent>> requests = new ArrayList<>();
            for (int i = 0; i < arrival.size(); ) {
                int n = 1 + random.nextInt(6);
                requests.add(arrival.subList(i, Math.min(arrival.size(), i + n)));
                i += n;
            }
            return new History(all, requests);
        });
    }

    private static Arbitrary<List<CanonicalEvent>> send(Instant base) {
        Arbitrary<Long> start = Arbitraries.longs().between(0, (WINDOW_DAYS - 10) * 86_400_000L);
        Arbitrary<String> id = Arbitraries.strings().withCharRange('a', 'f').ofLength(10);
        return Combinators.combine(Arbitraries.of(ESPS), id, Arbitraries.of(DOMAINS), Arbitraries.integers().between(0, 3),
                start, event().list().ofMinSize(1).ofMaxSize(6)).as((esp, key, domain, user, at, events) -> {
                    List<CanonicalEvent> out = new ArrayList<>();
                    for (int i = 0; i < events.size(); i++) {
                        String messageId = esp.equals("sendgrid") ? key + ".filter" + i + ".x" : key;
                        out.add(events.get(i).build(esp, messageId, "user" + user + "@" + domain, base.plusMillis(at)));
                    }
                    return out;
                });
    }

    private static Arbitrary<CanonicalEvent> orphan(Instant base) {
        Arbitrary<Long> at = Arbitraries.longs().between(0, (WINDOW_DAYS - 1) * 86_400_000L);
        return Combinators.combine(Arbitraries.of(ESPS), Arbitraries.of(DOMAINS), Arbitraries.of(true, false), at,
                event()).as((esp, domain, noMessage, offset, e) -> noMessage
                        ? e.build(esp, null, "o@" + domain, base.plusMillis(offset))
                        : e.build(esp, "m-" + offset, null, base.plusMillis(offset)));
    }

    /** An event of a send, relative to the send's start: offset up to 4 days, which may come before it. */
    record EventSpec(EventType type, BounceType bounce, long offset, boolean machine, Set<String> tags, String url) {
        CanonicalEvent build(String esp, String messageId, String recipient, Instant sendAt) {
            Instant at = sendAt.plusMillis(offset);
            CanonicalEvent e = CanonicalEvent.builder(esp).type(type).bounceType(bounce).messageId(messageId)
                    .recipient(recipient).occurredAt(at).tags(tags).url(type == EventType.CLICKED ? url : null)
                    .reason(type == EventType.BOUNCED ? "550 " + bounce : null).build(sendAt, at);
            return machine ? e.asMachine("generated") : e;
        }
    }

    private static Arbitrary<EventSpec> event() {
        return Combinators.combine(Arbitraries.of(TYPES), Arbitraries.of(BounceType.HARD, BounceType.SOFT).injectNull(0.3),
                Arbitraries.longs().between(-3_600_000L, 4 * 86_400_000L), Arbitraries.integers().between(0, 4).map(i -> i == 0),
                Arbitraries.subsetOf(TAGS).ofMaxSize(2), Arbitraries.of("https://x.io/a?u=1", "https://x.io/b#f", "https://x.io/a"))
                .as(EventSpec::new);
    }

    static Arbitrary<StatsQuerySpec> queries(Instant base) {
        long b = base.toEpochMilli();
        long day = 86_400_000L;
        Arbitrary<long[]> range = Arbitraries.oneOf(Arbitraries.just(new long[] {b - day, b + WINDOW_DAYS * day}),
                Combinators.combine(Arbitraries.longs().between(-day, 20 * day), Arbitraries.longs().between(day, 30 * day))
                        .as((f, len) -> new long[] {b + f, b + f + len}));
        Arbitrary<List<String>> groupBy = Arbitraries.subsetOf("esp", "recipient_domain", "mailbox_provider", "tag")
                .ofMaxSize(3).map(s -> s.stream().sorted().toList());
        Arbitrary<Map<String, Set<String>>> filters = Arbitraries.oneOf(Arbitraries.just(Map.of()),
                Arbitraries.subsetOf(ESPS).ofMinSize(1).ofMaxSize(2).map(s -> Map.of("esp", s)),
                Arbitraries.subsetOf("welcome", "promo", "").ofMinSize(1).ofMaxSize(2).map(s -> Map.of("tag", s)));
        return Combinators.combine(range, Arbitraries.of("hour", "day", "week", "month", "none"),
                Arbitraries.of("UTC", "Asia/Kolkata", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"),
                groupBy, filters).as((r, bucket, tz, g, f) -> new StatsQuerySpec(r[0], r[1], bucket, tz, g, f));
    }
}
