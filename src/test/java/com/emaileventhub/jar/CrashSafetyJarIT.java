package com.emaileventhub.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.JarProcess;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of the packaged hub in the middle of concurrent posts: after a restart on the same
 * database, every event that got a 200 is there exactly once.
 */
class CrashSafetyJarIT {
    private static final int CLIENTS = 16;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void every_acknowledged_event_survives_a_kill_9_exactly_once(String kind) throws Exception {
        Path work = JarProcess.workDir("crash-" + kind);
        String dbUrl = kind.equals("h2") ? "jdbc:h2:file:" + work.resolve("data/hub") + ";WRITE_DELAY=0" : TestDatabases.postgres();
        Map<String, String> env = Map.of(
                "HUB_DB_URL", dbUrl,
                "HUB_DB_USERNAME", kind.equals("h2") ? "sa" : TestDatabases.PG_USER,
                "HUB_ESP_POSTMARK_USERNAME", Postmark.USER,
                "HUB_ESP_POSTMARK_PASSWORD", Postmark.PASSWORD);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        JarProcess hub = JarProcess.start(work, env, List.of()).awaitHealthy();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int i = 0; !stop.get() && i < 100_000; i++) {
                    String messageId = "crash-" + client + "-" + i;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(hub.uri("/webhooks/postmark"))
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/json").header("Authorization", Postmark.auth())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(Postmark.delivery(messageId, "crash@example.com")))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        sent.incrementAndGet();
                        if (r.statusCode() == 200) {
                            acknowledged.add(messageId);
                        }
                    } catch (Exception e) {
                        return;   // the hub is gone: this client stops
                    }
                }
            });
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 2000);
        hub.kill();
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        // restart on the same database: migrations and start-up must cope with whatever the kill left
        JarProcess again = JarProcess.start(work, env, List.of()).awaitHealthy();
        again.close();

        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(dbUrl);
            ds.setUsername(kind.equals("h2") ? "sa" : TestDatabases.PG_USER);
            List<String> stored = Rows.strings(ds, "SELECT message_id FROM hub_event WHERE esp = 'postmark'");
            assertThat(stored).doesNotHaveDuplicates();
            assertThat(stored).containsAll(acknowledged);
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(2000);
            System.out.printf("crash-safety %s: %d posts sent, %d acknowledged, %d stored, all acknowledged present%n",
                    kind, sent.get(), acknowledged.size(), stored.size());
        }
    }
}
