package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Retries, back-off, dead letters and replay of the delivery engine, on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class DeliveryRetryTest {
    @Parameter
    TestDatabases.Kind kind;
    @AutoClose
    private DeliveryFixtures.Running running;
    private Hub hub;

    private Hub start(String... overrides) throws Exception {
        running = DeliveryFixtures.startOn(kind, overrides);
        hub = running.hub();
        return hub;
    }

    @Test
    void failing_destination_is_retried_with_growing_backoff_then_gets_each_event_exactly_once() throws Exception {
        start();
        FakeDestination fake = fake(hub);
        fake.failuresLeft.set(3);
        List<CanonicalEvent> events = events(5, EventType.DELIVERED);
        store(hub.database(), events, "fake");

        await().atMost(20, TimeUnit.SECONDS).until(() -> fake.total() == 5);
        assertThat(fake.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(fake.calls).hasSize(4);
        List<Long> gaps = gapsMillis(fake.calls);
        // equal jitter: after failed attempt n the wait is at least half of 200 ms * 2^(n-1)
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(statusCounts("fake")).containsExactly("delivered:5:4"));
        assertThat(counter("hub_delivery_retried")).isEqualTo(15);
        assertThat(counter("hub_delivery_delivered")).isEqualTo(5);
        String metrics = call(hub, "GET", "/observe/metrics").body();
        assertThat(metrics).contains("hub_delivery_backlog{destination=\"fake\"}")
                .contains("hub_delivery_oldest_pending_seconds{destination=\"fake\"}")
                .contains("hub_delivery_latency_seconds_count{destination=\"fake\"} 5")
                .contains("hub_delivery_dead_total{destination=\"fake\"}");
    }

    @Test
    void retry_after_is_honoured_never_earlier() throws Exception {
        start();
        FakeDestination fake = fake(hub);
        fake.failuresLeft.set(1);
        fake.retryAfter = Duration.ofMillis(1500);
        store(hub.database(), events(2, EventType.OPENED), "fake");

        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 2);
        assertThat(fake.calls).hasSize(2);
        assertThat(gapsMillis(fake.calls).get(0)).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void refused_events_are_dead_at_once_and_retried_ones_come_back_while_the_rest_is_delivered() throws Exception {
        start();
        FakeDestination fake = fake(hub);
        List<CanonicalEvent> events = events(4, EventType.CLICKED);
        String refused = events.get(0).id();
        String later = events.get(1).id();
        fake.refuse.add(refused);
        fake.retryTimes.put(later, new AtomicInteger(2));
        store(hub.database(), events, "fake");

        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 3);
        assertThat(fake.delivered).doesNotContainKey(refused);
        assertThat(fake.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(fake.calls).hasSize(3);
        JsonNode dead = json(call(hub, "GET", "/api/deliveries?destination=fake&status=dead"));
        assertThat(dead.get("deliveries")).hasSize(1);
        assertThat(dead.get("deliveries").get(0).get("event_id").asText()).isEqualTo(refused);
        assertThat(dead.get("deliveries").get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get("deliveries").get(0).get("error").asText()).contains("refused");
    }

    @Test
    void events_are_dead_after_max_attempts_listed_by_the_api_and_replay_delivers_them() throws Exception {
        start("hub.delivery.max-attempts=3");
        FakeDestination fake = fake(hub);
        fake.alwaysFail = true;
        List<CanonicalEvent> events = events(3, EventType.BOUNCED);
        store(hub.database(), events, "fake");

        await().atMost(15, TimeUnit.SECONDS).until(() ->
                json(call(hub, "GET", "/api/deliveries?destination=fake&status=dead")).get("deliveries").size() == 3);
        JsonNode page = json(call(hub, "GET", "/api/deliveries?destination=fake&status=dead&limit=2"));
        assertThat(page.get("deliveries")).hasSize(2);
        JsonNode first = page.get("deliveries").get(0);
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("error").asText()).contains("fake is down");
        assertThat(first.get("event").get("id").asText()).isEqualTo(first.get("event_id").asText());
        String cursor = page.get("next_cursor").asText();
        JsonNode rest = json(call(hub, "GET", "/api/deliveries?destination=fake&status=dead&limit=2&cursor=" + cursor));
        assertThat(rest.get("deliveries")).hasSize(1);
        assertThat(rest.get("next_cursor").isNull()).isTrue();
        assertThat(fake.calls).hasSize(3);
        assertThat(counter("hub_delivery_dead")).isEqualTo(3);

        fake.alwaysFail = false;
        HttpResponse<String> replay = call(hub, "POST", "/api/deliveries/replay?destination=fake&since=2000-01-01T00:00:00Z");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay).get("requeued").asInt()).isEqualTo(3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 3);
        assertThat(fake.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        // replaying delivered items again is allowed (destinations are idempotent on id)
        assertThat(json(call(hub, "POST", "/api/deliveries/replay?destination=fake&status=delivered")).get("requeued")
                .asInt()).isEqualTo(3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 6);
    }

    @Test
    void configuration_error_keeps_events_queued_without_using_attempts_and_marks_the_destination_down() throws Exception {
        start("hub.delivery.configuration-retry=PT0.3S");
        FakeDestination fake = fake(hub);
        fake.configurationError = true;
        store(hub.database(), events(2, EventType.OPENED), "fake");

        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.calls.size() >= 3);
        assertThat(statusCounts("fake")).containsExactly("pending:2:0");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            HttpResponse<String> health = call(hub, "GET", "/observe/health?exposureLevel=full");
            assertThat(health.body()).contains("destination-fake").contains("401 from fake");
            assertThat(hub.delivery().engine().worker("fake").status().configurationError()).contains("401");
        });

        fake.configurationError = false;
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 2);
        assertThat(hub.delivery().engine().worker("fake").status().configurationError()).isNull();
    }

    @Test
    void bad_parameters_are_named_in_a_400_and_a_missing_token_is_401() throws Exception {
        start();
        assertThat(call(hub, "GET", "/api/deliveries").body()).contains("parameter destination");
        assertThat(call(hub, "GET", "/api/deliveries?destination=fake&status=lost").statusCode()).isEqualTo(400);
        assertThat(call(hub, "GET", "/api/deliveries?destination=fake&limit=0").body()).contains("parameter limit");
        assertThat(call(hub, "GET", "/api/deliveries?destination=fake&cursor=zzz").body()).contains("parameter cursor");
        HttpResponse<String> badSince = call(hub, "POST", "/api/deliveries/replay?destination=fake&since=yesterday");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(badSince.body()).contains("parameter since");
        HttpResponse<String> noToken = HubRunner.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + DeliveryFixtures.port(hub) + "/api/deliveries?destination=fake")).build());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    private double counter(String name) {
        return hub.context().getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class).get(name).tag("destination", "fake").counter().count();
    }

    private List<String> statusCounts(String destination) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = hub.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*), MAX(attempts) FROM hub_delivery "
                     + "WHERE destination = ? GROUP BY status ORDER BY status")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getInt(3));
                }
            }
        }
        return out;
    }

    static List<Long> gapsMillis(List<Long> nanos) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < nanos.size(); i++) {
            gaps.add((nanos.get(i) - nanos.get(i - 1)) / 1_000_000);
        }
        return gaps;
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
