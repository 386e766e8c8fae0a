package com.emaileventhub.api;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The insight contract computed the slow, obvious way from a list of journal events, written apart from the
 * production code (its own send key, provider and bucket rules): what GET /api/stats must answer. The result
 * is a map "groupKey" -> ("totals" | bucket start) -> counts, plus "*" -> totals of all sends.
 */
final class BruteForceStats {
    static final List<String> COUNTS = List.of("sent", "delivered", "hard_bounced", "soft_bounced", "deferred",
            "rejected", "complained", "unsubscribed", "opened", "clicked", "opens", "clicks", "machine_opens",
            "machine_clicks", "events");

    /** One send or one event of no send, with its counts. */
    record Unit(long at, String esp, String domain, Set<String> tags, Map<String, Long> counts) {
    }

    private BruteForceStats() {
    }

    static List<Unit> units(List<CanonicalEvent> journal) {
        List<Unit> out = new ArrayList<>();
        for (CanonicalEvent e : journal) {
            if (e.messageId() == null || e.recipient() == null) {
                Map<String, Long> c = zero();
                eventCounts(c, e);
                out.add(new Unit(e.occurredAt().toEpochMilli(), e.esp(), domain(e.recipient()), Set.copyOf(e.tags()), c));
            }
        }
        sends(journal).forEach((key, events) -> out.add(send(key, events)));
        return out;
    }

    /** The events of each send: (esp, send key, recipient) to its events. */
    private static Map<List<String>, List<CanonicalEvent>> sends(List<CanonicalEvent> journal) {
        Map<List<String>, List<CanonicalEvent>> sends = new LinkedHashMap<>();
        for (CanonicalEvent e : journal) {
            if (e.messageId() != null && e.recipient() != null) {
                String key = e.esp().equals("sendgrid") ? e.messageId().split("\\.", 2)[0] : e.messageId();
                sends.computeIfAbsent(List.of(e.esp(), key, e.recipient()), k -> new ArrayList<>()).add(e);
            }
        }
        return sends;
    }

    /**
     * What GET /api/stats/links must answer for the range and filters (esp, tag) of q: URL (without query string and
     * fragment) to [human clicks, sends with a human click on it, machine clicks], over the sends whose time is in range.
     */
    static Map<String, List<Long>> links(List<CanonicalEvent> journal, StatsQuerySpec q) {
        Map<String, long[]> sums = new TreeMap<>();
        sends(journal).forEach((key, events) -> {
            Unit u = send(key, events);
            if (u.at() < q.from() || u.at() >= q.to() || !selected(u, q)) {
                return;
            }
            Map<String, long[]> mine = new TreeMap<>();
            for (CanonicalEvent e : events) {
                if (e.type() == EventType.CLICKED && e.url() != null) {
                    mine.computeIfAbsent(e.url().split("[?#]", 2)[0], k -> new long[2])[e.machine() ? 1 : 0]++;
                }
            }
            mine.forEach((url, n) -> {
                long[] sum = sums.computeIfAbsent(url, k -> new long[3]);
                sum[0] += n[0];
                sum[1] += n[0] > 0 ? 1 : 0;
                sum[2] += n[1];
            });
        });
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((url, n) -> out.put(url, List.of(n[0], n[1], n[2])));
        return out;
    }

    /**
     * What GET /api/stats/bounce-reasons must answer for the range and esp filter of q: "reason|bounce type" (the
     * reason trimmed) to the number of sends in range that bounced with it.
     */
    static Map<String, Long> bounceReasons(List<CanonicalEvent> journal, StatsQuerySpec q) {
        Map<String, Long> out = new TreeMap<>();
        sends(journal).forEach((key, events) -> {
            Unit u = send(key, events);
            Set<String> esps = q.filters().get("esp");
            if (u.at() < q.from() || u.at() >= q.to() || (esps != null && !esps.contains(u.esp()))) {
                return;
            }
            events.stream().filter(e -> e.type() == EventType.BOUNCED)
                    .map(e -> (e.reason() == null ? null : e.reason().trim()) + "|" + e.bounceTypeName())
                    .distinct().forEach(r -> out.merge(r, 1L, Long::sum));
        });
        return out;
    }

    private static Unit send(List<String> key, List<CanonicalEvent> events) {
        Map<String, Long> c = zero();
        Set<String> tags = new HashSet<>();
        long at = Long.MAX_VALUE;
        Set<EventType> types = new HashSet<>();
        boolean hard = false;
        boolean soft = false;
        boolean humanOpen = false;
        boolean humanClick = false;
        for (CanonicalEvent e : events) {
            at = Math.min(at, e.occurredAt().toEpochMilli());
            tags.addAll(e.tags());
            types.add(e.type());
            hard |= e.type() == EventType.BOUNCED && "hard".equals(e.bounceTypeName());
            soft |= e.type() == EventType.BOUNCED && !"hard".equals(e.bounceTypeName());
            humanOpen |= e.type() == EventType.OPENED && !e.machine();
            humanClick |= e.type() == EventType.CLICKED && !e.machine();
            eventCounts(c, e);
        }
        Set<EventType> sendlike = Set.of(EventType.QUEUED, EventType.SENT, EventType.DEFERRED, EventType.DELIVERED,
                EventType.BOUNCED, EventType.REJECTED, EventType.FAILED);
        c.put("sent", types.stream().anyMatch(sendlike::contains) ? 1L : 0L);
        c.put("delivered", types.contains(EventType.DELIVERED) ? 1L : 0L);
        c.put("hard_bounced", hard ? 1L : 0L);
        c.put("soft_bounced", soft && !hard ? 1L : 0L);
        c.put("deferred", types.contains(EventType.DEFERRED) ? 1L : 0L);
        c.put("rejected", types.contains(EventType.REJECTED) || types.contains(EventType.FAILED) ? 1L : 0L);
        c.put("complained", types.contains(EventType.COMPLAINED) ? 1L : 0L);
        c.put("unsubscribed", types.contains(EventType.UNSUBSCRIBED) ? 1L : 0L);
        c.put("opened", humanOpen || humanClick ? 1L : 0L);
        c.put("clicked", humanClick ? 1L : 0L);
        return new Unit(at, key.get(0), domain(key.get(2)), tags, c);
    }

    private static void eventCounts(Map<String, Long> c, CanonicalEvent e) {
        c.merge("events", 1L, Long::sum);
        if (e.type() == EventType.OPENED) {
            c.merge(e.machine() ? "machine_opens" : "opens", 1L, Long::sum);
        } else if (e.type() == EventType.CLICKED) {
            c.merge(e.machine() ? "machine_clicks" : "clicks", 1L, Long::sum);
        }
    }

    /**
     * Expected answer: group key (dimension=value joined by ';', "" without group_by) -> bucket start (or
     * "totals") -> counts; "*" -> "totals" holds the totals over all selected units.
     */
    static Map<String, Map<String, Map<String, Long>>> expected(List<Unit> units, StatsQuerySpec q) {
        Map<String, Map<String, Map<String, Long>>> out = new TreeMap<>();
        Map<String, Long> totals = zero();
        out.put("*", new TreeMap<>(Map.of("totals", totals)));
        if (q.groupBy().isEmpty()) {
            out.put("", new TreeMap<>(Map.of("totals", zero())));
        }
        for (Unit u : units) {
            if (u.at() < q.from() || u.at() >= q.to() || !selected(u, q)) {
                continue;
            }
            add(totals, u.counts());
            String bucket = Instant.ofEpochMilli(bucketStart(u.at(), q)).toString();
            for (String key : keys(u, q)) {
                Map<String, Map<String, Long>> g = out.computeIfAbsent(key, k -> new TreeMap<>(Map.of("totals", zero())));
                add(g.get("totals"), u.counts());
                add(g.computeIfAbsent(bucket, b -> zero()), u.counts());
            }
        }
        if (q.bucket().equals("none")) {
            out.forEach((k, g) -> {
                if (!k.equals("*")) {
                    g.putIfAbsent(Instant.ofEpochMilli(q.from()).toString(), zero());
                }
            });
        }
        return out;
    }

    private static boolean selected(Unit u, StatsQuerySpec q) {
        Set<String> esps = q.filters().get("esp");
        Set<String> tags = q.filters().get("tag");
        boolean espOk = esps == null || esps.contains(u.esp());
        boolean tagOk = tags == null || (u.tags().isEmpty() ? tags.contains("") : u.tags().stream().anyMatch(tags::contains));
        return espOk && tagOk;
    }

    private static List<String> keys(Unit u, StatsQuerySpec q) {
        List<String> keys = new ArrayList<>(List.of(""));
        for (String dim : q.groupBy()) {
            List<String> values = new ArrayList<>();
            switch (dim) {
                case "esp" -> values.add(u.esp());
                case "recipient_domain" -> values.add(u.domain());
                case "mailbox_provider" -> values.add(provider(u.domain()));
                default -> {
                    Set<String> filter = q.filters().get("tag");
                    if (u.tags().isEmpty()) {
                        values.add(null);
                    }
                    new TreeSet<>(u.tags()).stream().filter(t -> filter == null || filter.contains(t)).forEach(values::add);
                }
            }
            List<String> next = new ArrayList<>();
            for (String k : keys) {
                for (String v : values) {
                    next.add(k + (k.isEmpty() ? "" : ";") + dim + "=" + v);
                }
            }
            keys = next;
        }
        return keys;
    }

    static long bucketStart(long at, StatsQuerySpec q) {
        ZoneId tz = ZoneId.of(q.tz());
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(tz);
        return switch (q.bucket()) {
            case "none" -> q.from();
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli();
            case "day" -> t.toLocalDate().atStartOfDay(tz).toInstant().toEpochMilli();
            case "week" -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(tz)
                    .toInstant().toEpochMilli();
            default -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(tz).toInstant().toEpochMilli();
        };
    }

    static String domain(String recipient) {
        return recipient == null ? null : recipient.substring(recipient.indexOf('@') + 1);
    }

    static String provider(String domain) {
        if (domain == null) {
            return null;
        }
        return switch (domain) {
            case "gmail.com", "googlemail.com" -> "gmail";
            case "yahoo.fr", "yahoo.com", "ymail.com", "aol.com" -> "yahoo";
            case "outlook.com", "hotmail.co.uk", "live.com", "msn.com" -> "microsoft";
            case "icloud.com", "me.com", "mac.com" -> "apple";
            default -> "other";
        };
    }

    private static Map<String, Long> zero() {
        Map<String, Long> m = new TreeMap<>();
        COUNTS.forEach(c -> m.put(c, 0L));
        return m;
    }

    private static void add(Map<String, Long> sum, Map<String, Long> c) {
        c.forEach((k, v) -> sum.merge(k, v, Long::sum));
    }
}
