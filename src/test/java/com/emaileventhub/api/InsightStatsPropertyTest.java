package com.emaileventhub.api;

import com.emaileventhub.support.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.api.InsightHistories.History;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.StoredEvents;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every count and rate of GET /api/stats equals a brute-force computation over the journal
 * ({@link BruteForceStats}), for random histories (several ESPs, duplicates, out-of-order arrival, late
 * engagement, events of no send, machine opens), several bucket sizes, time zones, groupings and filters,
 * on H2 and PostgreSQL. Each try has a time window of its own on the same two hubs. The figures are also
 * checked after every event of the window is delivered to them again (the outbox is at-least-once), and
 * across a restart of the hub in the middle of a history.
 */
class InsightStatsPropertyTest {
    private static final Instant FIRST_WINDOW = Instant.parse("2031-01-05T03:17:00Z");
    private static final AtomicInteger WINDOWS = new AtomicInteger();
    private static final Map<TestDatabases.Kind, DeliveryFixtures.Running> HUBS = new EnumMap<>(TestDatabases.Kind.class);
    private static Path routes;

    @BeforeContainer
    static void start() throws Exception {
        routes = DeliveryFixtures.routes();
        for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
            HUBS.put(kind, DeliveryFixtures.startOn(kind));
        }
    }

    @AfterContainer
    static void stop() {
        HUBS.values().forEach(DeliveryFixtures.Running::close);
        HUBS.clear();
    }

    @Property(tries = 15, seed = "20261127", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void stats_equal_a_brute_force_count_over_the_journal(@ForAll("cases") Case c) throws Exception {
        for (DeliveryFixtures.Running running : HUBS.values()) {
            Hub hub = running.hub();
            c.history().requests().forEach(r -> DeliveryFixtures.store(hub.database(), r));
            awaitFigures(hub);
            checkAll(hub, c);
            // every event of the window delivered to the figures once more changes nothing
            DeliveryFixtures.call(hub, "POST", "/api/deliveries/replay?destination=insight&status=delivered"
                    + "&occurred_since=" + c.base().minusSeconds(86_400 * 2) + "&occurred_until="
                    + c.base().plusSeconds(86_400 * (InsightHistories.WINDOW_DAYS + 10)));
            awaitFigures(hub);
            checkAll(hub, c);
        }
    }

    @Example
    void a_restart_in_the_middle_of_a_history_changes_nothing() throws Exception {
        Instant base = nextWindow();
        History history = InsightHistories.histories(base).sample();
        List<StatsQuerySpec> queries = InsightHistories.queries(base).list().ofSize(6).sample();
        for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
            DeliveryFixtures.Running running = HUBS.get(kind);
            List<List<CanonicalEvent>> requests = history.requests();
            int half = requests.size() / 2;
            requests.subList(0, half).forEach(r -> DeliveryFixtures.store(running.hub().database(), r));
            running.hub().close();   // whatever the figures had not taken yet stays queued
            Hub restarted = DeliveryFixtures.start(DeliveryFixtures.overrides(running.dbUrl(), routes));
            HUBS.put(kind, new DeliveryFixtures.Running(restarted, running.dbUrl()));
            requests.subList(half, requests.size()).forEach(r -> DeliveryFixtures.store(restarted.database(), r));
            awaitFigures(restarted);
            checkAll(restarted, new Case(base, history, queries));
        }
    }

    record Case(Instant base, History history, List<StatsQuerySpec> queries) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.create(InsightStatsPropertyTest::nextWindow).flatMap(base -> Combinators.combine(
                InsightHistories.histories(base), InsightHistories.queries(base).list().ofMinSize(3).ofMaxSize(5))
                .as((h, q) -> new Case(base, h, q)));
    }

    private static Instant nextWindow() {
        return FIRST_WINDOW.plusSeconds(86_400L * (InsightHistories.WINDOW_DAYS + 20) * WINDOWS.getAndIncrement());
    }

    private static void checkAll(Hub hub, Case c) throws Exception {
        List<CanonicalEvent> journal = new ArrayList<>();
        long from = c.base().minusSeconds(86_400 * 2).toEpochMilli();
        long to = c.base().plusSeconds(86_400 * (InsightHistories.WINDOW_DAYS + 10)).toEpochMilli();
        for (JsonNode e : StoredEvents.events(hub.database().dataSource(), "occurred_at >= ? AND occurred_at < ?", from, to)) {
            journal.add(Json.MAPPER.treeToValue(e, CanonicalEvent.class));
        }
        List<BruteForceStats.Unit> units = BruteForceStats.units(journal);
        for (StatsQuerySpec q : c.queries()) {
            HttpResponse<String> r = DeliveryFixtures.call(hub, "GET", "/api/stats?" + q.query());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode answer = Json.MAPPER.readTree(r.body());
            assertThat(actual(answer, q)).as(q.query()).isEqualTo(BruteForceStats.expected(units, q));
            checkRates(answer);
            checkDetails(hub, journal, q);
        }
    }

    /** Clicked links and bounce reasons over the query's range, with its ESP and tag filters. */
    private static void checkDetails(Hub hub, List<CanonicalEvent> journal, StatsQuerySpec q) throws Exception {
        String range = "from=" + Instant.ofEpochMilli(q.from()) + "&to=" + Instant.ofEpochMilli(q.to()) + "&limit=1000";
        String esp = String.join("", q.filters().getOrDefault("esp", Set.of()).stream().map(v -> "&esp=" + v).toList());
        String tag = String.join("", q.filters().getOrDefault("tag", Set.of()).stream()
                .map(v -> "&tag=" + URLEncoder.encode(v, StandardCharsets.UTF_8)).toList());
        Map<String, List<Long>> links = new TreeMap<>();
        for (JsonNode l : get(hub, "/api/stats/links?" + range + esp + tag).get("links")) {
            links.put(l.get("url").asText(), List.of(l.get("clicks").asLong(), l.get("clicked").asLong(),
                    l.get("machine_clicks").asLong()));
        }
        assertThat(links).as("links " + range + esp + tag).isEqualTo(BruteForceStats.links(journal, q));
        Map<String, Long> reasons = new TreeMap<>();
        for (JsonNode r : get(hub, "/api/stats/bounce-reasons?" + range + esp).get("reasons")) {
            reasons.put((r.get("reason").isNull() ? null : r.get("reason").asText()) + "|"
                    + (r.get("bounce_type").isNull() ? null : r.get("bounce_type").asText()), r.get("sends").asLong());
        }
        assertThat(reasons).as("bounce reasons " + range + esp).isEqualTo(BruteForceStats.bounceReasons(journal, q));
    }

    private static JsonNode get(Hub hub, String path) throws Exception {
        HttpResponse<String> r = DeliveryFixtures.call(hub, "GET", path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    /** The answer in the shape of {@link BruteForceStats#expected}. */
    private static Map<String, Map<String, Map<String, Long>>> actual(JsonNode answer, StatsQuerySpec q) {
        Map<String, Map<String, Map<String, Long>>> out = new TreeMap<>();
        out.put("*", new TreeMap<>(Map.of("totals", counts(answer.at("/totals/counts")))));
        for (JsonNode g : answer.get("groups")) {
            List<String> key = new ArrayList<>();
            for (String dim : q.groupBy()) {
                JsonNode v = g.get("key").get(dim);
                key.add(dim + "=" + (v.isNull() ? "null" : v.asText()));
            }
            Map<String, Map<String, Long>> group = new TreeMap<>();
            group.put("totals", counts(g.at("/totals/counts")));
            for (JsonNode b : g.get("buckets")) {
                group.put(Instant.parse(b.get("start").asText()).toString(), counts(b.get("counts")));
            }
            out.put(String.join(";", key), group);
        }
        return out;
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new TreeMap<>();
        node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asLong()));
        return out;
    }

    /** Each rate is its formula over the counts beside it: null when the denominator is 0. */
    private static void checkRates(JsonNode node) {
        if (node.isObject() && node.has("counts") && node.has("rates")) {
            JsonNode c = node.get("counts");
            JsonNode r = node.get("rates");
            rate(r, "delivery_rate", c.get("delivered").asLong(), c.get("sent").asLong());
            rate(r, "bounce_rate", c.get("hard_bounced").asLong() + c.get("soft_bounced").asLong(), c.get("sent").asLong());
            rate(r, "hard_bounce_rate", c.get("hard_bounced").asLong(), c.get("sent").asLong());
            rate(r, "complaint_rate", c.get("complained").asLong(), c.get("delivered").asLong());
            rate(r, "unsubscribe_rate", c.get("unsubscribed").asLong(), c.get("delivered").asLong());
            rate(r, "open_rate", c.get("opened").asLong(), c.get("delivered").asLong());
            rate(r, "click_rate", c.get("clicked").asLong(), c.get("delivered").asLong());
            rate(r, "click_to_open_rate", c.get("clicked").asLong(), c.get("opened").asLong());
        }
        node.forEach(InsightStatsPropertyTest::checkRates);
    }

    private static void rate(JsonNode rates, String name, long numerator, long denominator) {
        if (denominator == 0) {
            assertThat(rates.get(name).isNull()).as(name).isTrue();
        } else {
            assertThat(rates.get(name).asDouble()).as(name).isEqualTo((double) numerator / denominator);
        }
    }

    private static void awaitFigures(Hub hub) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
    }
}
