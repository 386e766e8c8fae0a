package com.emaileventhub.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.JarProcess;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of the packaged hub in the middle of concurrent posts, three times on one database. Clients post
 * new events and re-post acknowledged ones (as an ESP does after a timeout); after each kill the hub restarts
 * on what the kill left and the posts that got no answer are sent again. Every event that got a 200 must be
 * stored exactly once, and every stored event, acknowledged or not, must be whole and in the archive (in the hub's
 * database the journal is the archive: after each kill the view hub_archive reads every stored event, once).
 * Prints the figures of each cycle ({@code crash-safety ...} lines in the failsafe output).
 */
class CrashSafetyJarIT {
    private static final int CLIENTS = 16;
    /** Kills per case; {@code -Dcrash.cycles=N} runs more, to measure a rare failure. */
    private static final int CYCLES = Integer.getInteger("crash.cycles", 3);
    private static final int ACKS_PER_CYCLE = 1500;

    /** The cases whose name contains {@code -Dcrash.case=...} (all when unset), to run one case in a loop. */
    static Stream<Arguments> databases() {
        String only = System.getProperty("crash.case", "");
        return Stream.of(
                Arguments.of("h2 default URL", (Function<Path, String>) work ->
                        "jdbc:h2:file:" + work.resolve("data/hub") + ";WRITE_DELAY=0"),
                // what an operator writes when moving the data: the hub must make it durable itself
                Arguments.of("h2 bare file URL", (Function<Path, String>) work -> "jdbc:h2:file:" + work.resolve("data/hub")),
                Arguments.of("postgresql", (Function<Path, String>) work -> TestDatabases.postgres()))
                .filter(a -> ((String) a.get()[0]).contains(only));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void every_acknowledged_event_survives_kill_9_cycles_exactly_once(String name, Function<Path, String> database)
            throws Exception {
        Path work = JarProcess.workDir("crash");
        // -Dcrash.h2-settings=;KEY=VALUE...: settings appended to an H2 URL, to measure their part in a failure
        String dbUrl = database.apply(work) + (name.startsWith("h2") ? System.getProperty("crash.h2-settings", "") : "");
        Map<String, String> env = new HashMap<>(Map.of(
                "HUB_DB_URL", dbUrl,
                "HUB_DB_USERNAME", TestDatabases.user(dbUrl),
                "HUB_ESP_POSTMARK_USERNAME", Postmark.USER,
                "HUB_ESP_POSTMARK_PASSWORD", Postmark.PASSWORD));
        env.putAll(extraEnvironment());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                JarProcess hub = JarProcess.start(work, env, List.of()).awaitHealthy();
                assertThat(hub.log()).doesNotContain("sets WRITE_DELAY");
                int before = acknowledged.size();
                // the ESP retries what got no answer before the kill
                Set<String> unanswered = new HashSet<>(attempted);
                unanswered.removeAll(acknowledged);
                unanswered.forEach(id -> post(hub, id, acknowledged));
                load(hub, cycle, attempted, acknowledged, before + ACKS_PER_CYCLE);
                keepKilledFile(work);
                // restart on whatever the kill left (recovery, migrations), stop cleanly, then look
                JarProcess.start(work, env, List.of()).awaitHealthy().close();
                Figures f = figures(dbUrl, acknowledged, attempted);
                System.out.printf("crash-safety %s, kill %d: %d posts attempted, %d acknowledged (%d this cycle), "
                                + "%d of them stored, %d lost, %d stored without an answer%n", name, cycle,
                        attempted.size(), acknowledged.size(), acknowledged.size() - before, f.storedAcknowledged(),
                        f.lost(), f.storedUnanswered());
                assertThat(f.lost()).as("acknowledged events lost after kill %d, among them %s", cycle, f.someLost())
                        .isZero();
                assertArchiveHoldsEveryStoredEvent(dbUrl, cycle, acknowledged);
            }
            assertStoredExactlyOnceAndWhole(dbUrl, acknowledged);
        } finally {
            TestDatabases.drop(dbUrl);
        }
    }

    /** The H2 file as the kill left it (hub-killed.mv.db, the last kill's), to examine a failed recovery. */
    private static void keepKilledFile(Path work) throws IOException {
        Path file = work.resolve("data/hub.mv.db");
        if (Files.exists(file)) {
            Files.copy(file, work.resolve("data/hub-killed.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code -Dcrash.env=KEY=VALUE,...}: more environment for the hub, to measure a setting's part in a failure. */
    private static Map<String, String> extraEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (String pair : System.getProperty("crash.env", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return env;
    }

    /** CLIENTS threads post until {@code target} events are acknowledged, then the hub is killed under that load. */
    private static void load(JarProcess hub, int cycle, Set<String> attempted, Set<String> acknowledged, int target)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                String last = null;
                for (int i = 0; !stop.get(); i++) {
                    // every fifth post repeats this client's last acknowledged event: it must not be stored twice
                    String id = i % 5 == 4 && last != null ? last : "crash-" + cycle + "-" + client + "-" + i;
                    attempted.add(id);
                    if (post(hub, id, acknowledged)) {
                        last = id;
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= target);
        hub.kill();
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** True (and recorded) when the hub answered 200; a refused connection or a timeout is no answer. */
    private static boolean post(JarProcess hub, String messageId, Set<String> acknowledged) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(hub.uri("/webhooks/postmark"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", Postmark.auth())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Postmark.delivery(messageId, "crash@example.com")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                acknowledged.add(messageId);
                return true;
            }
        } catch (Exception noAnswer) {
            // the hub is gone or too slow: the post counts as unanswered
        }
        return false;
    }

    /** {@code someLost}: up to 10 of the lost message ids, for the failure message. */
    private record Figures(long storedAcknowledged, long lost, long storedUnanswered, List<String> someLost) {
    }

    private static Figures figures(String dbUrl, Set<String> acknowledged, Set<String> attempted) {
        try (HikariDataSource ds = dataSource(dbUrl)) {
            Set<String> stored = new HashSet<>(Rows.strings(ds, "SELECT message_id FROM hub_event WHERE esp = 'postmark'"));
            long storedAcknowledged = acknowledged.stream().filter(stored::contains).count();
            long storedUnanswered = attempted.stream().filter(id -> !acknowledged.contains(id) && stored.contains(id)).count();
            List<String> someLost = acknowledged.stream().filter(id -> !stored.contains(id)).sorted().limit(10)
                    .toList();
            return new Figures(storedAcknowledged, acknowledged.size() - storedAcknowledged, storedUnanswered,
                    someLost);
        }
    }

    private static void assertStoredExactlyOnceAndWhole(String dbUrl, Set<String> acknowledged) throws Exception {
        try (HikariDataSource ds = dataSource(dbUrl)) {
            assertThat(Rows.strings(ds, "SELECT message_id FROM hub_event WHERE esp = 'postmark' "
                    + "GROUP BY message_id HAVING COUNT(*) > 1")).as("message ids stored more than once").isEmpty();
            List<String> stored = Rows.strings(ds, "SELECT message_id FROM hub_event WHERE esp = 'postmark'");
            assertThat(stored).containsAll(acknowledged);
            // acknowledged or not, what is stored is a whole canonical event and is queued for its destination
            List<String> mismatches = new ArrayList<>();
            for (String row : Rows.strings(ds, "SELECT id || ' ' || message_id || ' ' || body FROM hub_event "
                    + "WHERE esp = 'postmark'")) {
                String[] parts = row.split(" ", 3);
                JsonNode body = Json.MAPPER.readTree(parts[2]);
                if (!parts[0].equals(body.path("id").asText()) || !parts[1].equals(body.path("message_id").asText())
                        || !"delivered".equals(body.path("type").asText())
                        || !"crash@example.com".equals(body.path("recipient").asText())) {
                    mismatches.add(row);
                }
            }
            assertThat(mismatches).as("stored events whose body does not match their row").isEmpty();
        }
    }

    /**
     * The archive (the view hub_archive over the journal, on the file or database the kill left) reads every stored
     * event once, with its canonical columns; checked after each kill so that a failure names the cycle and lists
     * each event it misses.
     */
    private static void assertArchiveHoldsEveryStoredEvent(String dbUrl, int cycle, Set<String> acknowledged) {
        try (HikariDataSource ds = dataSource(dbUrl)) {
            List<String> missed = new ArrayList<>();
            for (String row : Rows.strings(ds, "SELECT e.id || ' ' || e.message_id FROM hub_event e WHERE NOT EXISTS "
                    + "(SELECT 1 FROM hub_archive a WHERE a.id = e.id AND a.recipient = e.recipient "
                    + "AND a.message_id = e.message_id AND a.raw IS NOT NULL)")) {
                String[] parts = row.split(" ");
                missed.add("event " + parts[0] + " (message " + parts[1]
                        + (acknowledged.contains(parts[1]) ? ", acknowledged" : "") + ")");
            }
            assertThat(missed).as("stored events the archive does not read after kill %d", cycle).isEmpty();
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_archive"))
                    .as("archive rows after kill %d", cycle)
                    .isEqualTo(Rows.count(ds, "SELECT COUNT(*) FROM hub_event"));
        }
    }

    private static HikariDataSource dataSource(String dbUrl) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(dbUrl);
        ds.setUsername(TestDatabases.user(dbUrl));
        ds.setMaximumPoolSize(2);
        return ds;
    }
}
