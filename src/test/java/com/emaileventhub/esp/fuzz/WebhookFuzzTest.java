package com.emaileventhub.esp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.fuzz.FuzzVendor.WireRequest;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of every webhook route (the nine built-in vendors and the YAML-declared MailerSend),
 * with valid credentials or signatures, against one in-process hub per database (H2 and PostgreSQL).
 * Per request: no 5xx (storage is up), no 2xx for a body that cannot be a vendor payload, the status the
 * category demands, an answer at all (a request that hangs reaches the hub's deadline, hub.http.request-timeout,
 * and its 503 fails the no-5xx check; time is not asserted, so a busy machine cannot fail the run), and the
 * journal grows by exactly the accepted count (a refused request stores nothing). After the run both hubs still report healthy.
 *
 * <p>Tries per run come from {@code -Dfuzz.tries} (the pom passes it to jqwik as jqwik.tries.default); the seed
 * is fixed, so CI runs the same requests every time. Long run: {@code mvn -B test -Dtest=WebhookFuzzTest
 * -Dfuzz.tries=20000} (docs/testing.md).
 */
class WebhookFuzzTest {
    /** Far beyond the hub's own deadline: the client gives up only when the hub failed to answer at all. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)   // as ESPs post (no h2c upgrade)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, Map<Integer, Integer>> OUTCOMES = new ConcurrentHashMap<>();
    private static final Map<String, Long> MILLIS = new ConcurrentHashMap<>();

    enum Db { H2, POSTGRES }

    private static FuzzVendors vendors;
    private static String pgUrl;
    private static final Map<Db, HubRunner> HUBS = new EnumMap<>(Db.class);

    @BeforeContainer
    static void startHubs() throws Exception {
        vendors = new FuzzVendors();
        Map<String, String> config = new HashMap<>(vendors.hubConfig());
        config.put("hub.db.url", TestDatabases.h2());
        HUBS.put(Db.H2, HubRunner.start(config));
        pgUrl = TestDatabases.postgres();
        config.put("hub.db.url", pgUrl);
        config.put("hub.db.username", TestDatabases.PG_USER);
        HUBS.put(Db.POSTGRES, HubRunner.start(config));
    }

    @AfterContainer
    static void stopHubs() {
        HUBS.values().forEach(HubRunner::close);
        HUBS.clear();
        if (pgUrl != null) {
            TestDatabases.drop(pgUrl);
        }
        Map<String, Map<Integer, Integer>> sorted = new TreeMap<>(OUTCOMES);
        int total = sorted.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder("webhook fuzz: " + total + " requests (category: status=count)\n");
        sorted.forEach((category, statuses) -> sb.append("  ").append(category).append(": ")
                .append(new TreeMap<>(statuses)).append(", ").append(MILLIS.get(category)).append(" ms in requests\n"));
        if (SURVEY) {
            sb.append("violations (kind -> first case):\n");
            new TreeMap<>(VIOLATIONS).forEach((k, v) -> sb.append("  ").append(k).append(" -> ").append(v).append('\n'));
        }
        System.out.print(sb);
    }

    /**
     * Survey mode ({@code -Dfuzz.survey=true}): violations are counted and listed after the run instead of
     * stopping it at the first, to see every kind of defect of a long run at once.
     */
    private static final boolean SURVEY = Boolean.getBoolean("fuzz.survey");
    private static final Map<String, String> VIOLATIONS = new ConcurrentHashMap<>();

    @Property(seed = "20261127", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void every_route_answers_hostile_requests_with_a_4xx_or_stores_exactly_what_it_accepts(
            @ForAll("cases") FuzzCase c) {
        if (!SURVEY) {
            check(c);
            return;
        }
        try {
            check(c);
        } catch (AssertionError e) {
            String kind = c.vendor().name() + "/" + c.category() + ": " + firstLine(e.getMessage());
            VIOLATIONS.merge(kind.length() > 400 ? kind.substring(0, 400) : kind, c.toString(), (a, b) -> a);
        }
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : String.join(" ", s.strip().lines().map(String::strip).toList());
        return line.replaceAll("seed=-?\\d+", "").replaceAll("\\d{3,}", "N");
    }

    private void check(FuzzCase c) {
        HubRunner hub = HUBS.get(c.db());
        WireRequest request = c.request();
        long before = journalRows(hub);

        long started = System.nanoTime();
        HttpResponse<String> r = post(hub, c.vendor().name(), request);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int status = r.statusCode();
        OUTCOMES.computeIfAbsent(c.category().name(), k -> new ConcurrentHashMap<>()).merge(status, 1, Integer::sum);
        MILLIS.merge(c.category().name(), took.toMillis(), Long::sum);

        String what = c + " answered " + status + " " + abbreviated(r.body());
        assertThat(status).as(what).isLessThan(500);
        Set<Integer> allowed = allowed(c);
        if (!allowed.isEmpty()) {
            assertThat(status).as(what).isIn(allowed);
        }
        if (!c.category().mayAccept) {
            assertThat(status / 100).as(what + ": no 2xx for a body that cannot be a vendor payload").isNotEqualTo(2);
        }
        long stored = journalRows(hub) - before;
        if (status == 200) {
            assertThat(stored).as(what + ": journal rows added").isEqualTo(accepted(r.body()));
        } else {
            assertThat(stored).as(what + ": a refused request stores nothing").isZero();
            if (status != 413 && status != 431) {
                assertThat(Json.text(parse(r.body()), "error")).as(what + ": a JSON error naming the fault").isNotBlank();
            }
        }
    }

    /**
     * After the run both hubs are healthy, and the archive reads every accepted event whole: in the hub's database it
     * is a view of the journal that reads each event's canonical fields out of its body, so a body a database cannot
     * read there (PostgreSQL's json refuses the escape of U+0000 that a hostile raw payload may hold) would make the
     * archive fail for anyone querying it.
     */
    @AfterProperty
    void hubs_stay_healthy_and_archive_every_accepted_event() {
        for (HubRunner hub : HUBS.values()) {
            HttpResponse<String> health = hub.get("/observe/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            // every column of every row read, once per event
            assertThat(Rows.strings(hub.dataSource(), "SELECT COUNT(*) || ' ' || COUNT(DISTINCT id) || ' ' || "
                    + "COALESCE(SUM(LENGTH(raw) + LENGTH(tags) + LENGTH(metadata) + LENGTH(COALESCE(reason, '')) "
                    + "+ LENGTH(COALESCE(mta_response, '')) + LENGTH(COALESCE(url, '')) + LENGTH(COALESCE(user_agent, '')) "
                    + "+ LENGTH(COALESCE(ip, '')) + LENGTH(COALESCE(esp_event_id, ''))), 0) FROM hub_archive").get(0)
                    .split(" ")).as("archive rows, distinct ids").startsWith(
                            String.valueOf(Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM hub_event")),
                            String.valueOf(Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM hub_event")));
            assertThat(Rows.strings(hub.dataSource(), "SELECT e.id FROM hub_event e WHERE NOT EXISTS "
                    + "(SELECT 1 FROM hub_archive a WHERE a.id = e.id)")).as("events not archived").isEmpty();
        }
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return Combinators.combine(Arbitraries.of(Db.values()), Arbitraries.of(vendors.all()),
                categories(), Arbitraries.longs()).as(FuzzCase::new);
    }

    /** Every category alike, but multi-megabyte bodies less often: they cost as much as twenty other requests. */
    private static Arbitrary<FuzzCategory> categories() {
        List<Tuple.Tuple2<Integer, FuzzCategory>> weighted = Arrays.stream(FuzzCategory.values())
                .map(c -> Tuple.of(c == FuzzCategory.HUGE_STRING ? 1 : 4, c)).toList();
        return Arbitraries.frequency(weighted);
    }

    /**
     * Category statuses, widened where a vendor puts authenticity first: Mandrill signs the decoded form, so a
     * form that is not UTF-8 cannot carry a valid signature (401).
     */
    private static Set<Integer> allowed(FuzzCase c) {
        if (c.vendor().name().equals("mandrill")
                && (c.category() == FuzzCategory.INVALID_UTF8 || c.category() == FuzzCategory.RANDOM_BYTES)) {
            return Set.of(400, 401);
        }
        return c.category().statuses;
    }

    private static HttpResponse<String> post(HubRunner hub, String vendor, WireRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri("/webhooks/" + vendor))
                .timeout(CLIENT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        request.headers().forEach(b::header);
        HttpRequest built = b.build();
        try {
            return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // Vert.x closes the connection after a 431 (headers too large); the JDK client sometimes reuses it
            // for the next request, which then gets no bytes at all. Counted, then sent once more.
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw new AssertionError(vendor + ": no answer (" + e + ")", e);
            }
            OUTCOMES.computeIfAbsent("(resent: pooled connection closed by the server)", k -> new ConcurrentHashMap<>())
                    .merge(0, 1, Integer::sum);
            try {
                return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (Exception again) {
                throw new AssertionError(vendor + ": no answer (" + again + ")", again);
            }
        } catch (Exception e) {
            throw new AssertionError(vendor + ": no answer (" + e + ")", e);
        }
    }

    private static long journalRows(HubRunner hub) {
        return Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM hub_event");
    }

    private static long accepted(String body) {
        return parse(body).path("accepted").asLong(-1);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("answer is not JSON: " + abbreviated(body), e);
        }
    }

    private static String abbreviated(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
