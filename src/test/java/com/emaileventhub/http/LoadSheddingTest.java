package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.RoutesCopy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Routes that hang (a test route held on a latch) must not stop intake: beyond
 * hub.http.max-concurrent-requests the hub answers 503 + Retry-After at once, each request gets its
 * 503 at hub.http.request-timeout, and intake works again when the routes come back.
 * Three worker threads, five admitted requests: three run, two wait for a worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadSheddingTest {
    private static final String HELD_ROUTE = """
            - route:
                id: webhook-slow
                from:
                  uri: platform-http:/webhooks/slow
                  parameters:
                    httpMethodRestrict: POST
                  steps:
                    - bean:
                        beanType: com.emaileventhub.http.HeldRoute
                        method: hold
                    - setBody:
                        constant: '{"accepted":0,"duplicates":0}'
            """;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HubRunner hub;

    @BeforeAll
    void start() throws Exception {
        Path routes = RoutesCopy.of();
        Files.writeString(routes.resolve("webhooks/slow.camel.yaml"), HELD_ROUTE);
        hub = HubRunner.start(Map.of("hub.routes.dir", routes.toString(),
                "hub.http.worker-threads", "8", "hub.http.max-concurrent-requests", "5",
                "hub.http.request-timeout", "PT2S", "hub.http.retry-after", "PT7S",
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD));
    }

    @AfterAll
    void stop() {
        HeldRoute.release.countDown();
        hub.close();
    }

    @Test
    void sheds_load_while_routes_hang_and_recovers_when_they_end() {
        HeldRoute.reset();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(client.sendAsync(slow(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.hub().edge().inFlight() == 5 && HeldRoute.STARTED.get() == 5);

        long t0 = System.nanoTime();
        HttpResponse<String> shed = HubRunner.send(slow());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("answered at once, not queued").isLessThan(1_000);
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("Retry-After")).contains("7");
        assertThat(shed.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(shed.body()).isEqualTo("{\"error\":\"the hub is at its limit of concurrent webhook requests; retry later\"}");

        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("7");
            assertThat(r.body()).isEqualTo("{\"error\":\"the request was not processed within PT2S; retry later\"}");
        }
        // answered, but the five workers are still stuck: their permits stay taken, and the spare workers answer probes
        assertThat(hub.hub().edge().inFlight()).isEqualTo(5);
        assertThat(HubRunner.send(slow()).statusCode()).isEqualTo(503);
        HttpResponse<String> ready = hub.get("/observe/health/ready");
        assertThat(ready.statusCode()).as("a load balancer stops sending here").isEqualTo(503);
        assertThat(ready.body()).contains("shedding load: webhooks are answered 503 with Retry-After");
        assertThat(hub.get("/observe/health/live").statusCode()).isEqualTo(200);

        HeldRoute.release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.hub().edge().inFlight() == 0);
        assertThat(hub.get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(HeldRoute.STARTED.get()).isEqualTo(5);

        HttpResponse<String> after = hub.post("/webhooks/postmark", "application/json",
                Postmark.delivery("m-after-release", "jane@example.com"), "Authorization", Postmark.auth());
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        String metrics = hub.get("/observe/metrics").body();
        assertThat(Metrics.value(metrics, "hub_webhooks_total{outcome=\"failed\",reason=\"overloaded\",vendor=\"slow\"}")).isEqualTo(2);
        assertThat(Metrics.value(metrics, "hub_webhooks_total{outcome=\"failed\",reason=\"timeout\",vendor=\"slow\"}")).isEqualTo(5);
        assertThat(Metrics.value(metrics, "hub_http_max_concurrent_requests")).isEqualTo(5);
    }

    private HttpRequest slow() {
        return HttpRequest.newBuilder(hub.uri("/webhooks/slow")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }
}
