package com.emaileventhub.api;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.destination.FakeDestination;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-attempt history of GET /api/deliveries (table hub_delivery_attempt), on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class DeliveryHistoryApiTest {
    @Parameter
    TestDatabases.Kind kind;
    @AutoClose
    private DeliveryFixtures.Running running;
    private Hub hub;

    private void start(String... overrides) throws Exception {
        running = DeliveryFixtures.startOn(kind, overrides);
        hub = running.hub();
    }

    @Test
    void failed_attempts_are_listed_oldest_first_and_a_plain_success_writes_no_history() throws Exception {
        start();
        FakeDestination fake = fake(hub);
        fake.failuresLeft.set(2);
        List<CanonicalEvent> retried = events(1, EventType.DELIVERED);
        store(hub.database(), retried, "fake");
        await().atMost(15, TimeUnit.SECONDS).until(() -> fake.total() == 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> list("fake", "delivered").get("deliveries").size() == 1);

        JsonNode item = list("fake", "delivered").get("deliveries").get(0);
        assertThat(item.get("attempts").asInt()).isEqualTo(3);
        JsonNode history = item.get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(history.get(1).get("attempt").asInt()).isEqualTo(2);
        for (JsonNode a : history) {
            assertThat(a.get("status").asText()).isEqualTo("pending");
            assertThat(a.get("error").asText()).isEqualTo("IllegalStateException: fake is down");
        }
        Instant first = Timestamps.fromIso(history.get(0).get("at").asText());
        Instant second = Timestamps.fromIso(history.get(1).get("at").asText());
        assertThat(second).isAfter(first);
        assertThat(Timestamps.fromIso(item.get("updated_at").asText())).isAfter(second);

        store(hub.database(), events(4, EventType.OPENED).subList(1, 4), "fake");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 4);
        await().atMost(5, TimeUnit.SECONDS).until(() -> list("fake", "delivered").get("deliveries").size() == 4);
        for (JsonNode d : list("fake", "delivered").get("deliveries")) {
            assertThat(d.get("history")).hasSize(d.get("event_id").asText().equals(retried.get(0).id()) ? 2 : 0);
        }
        assertThat(attemptRows()).isEqualTo(2);
    }

    @Test
    void the_last_attempt_of_a_dead_item_says_it_gave_up() throws Exception {
        start("hub.delivery.max-attempts=2");
        fake(hub).alwaysFail = true;
        store(hub.database(), events(1, EventType.BOUNCED), "fake");
        await().atMost(15, TimeUnit.SECONDS).until(() -> list("fake", "dead").get("deliveries").size() == 1);

        JsonNode history = list("fake", "dead").get("deliveries").get(0).get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("attempt").asInt() + " " + history.get(0).get("status").asText())
                .isEqualTo("1 pending");
        assertThat(history.get(1).get("attempt").asInt() + " " + history.get(1).get("status").asText() + " "
                + history.get(1).get("error").asText())
                .isEqualTo("2 dead gave up after 2 attempts: IllegalStateException: fake is down");
    }

    @Test
    void history_keeps_the_latest_twenty_attempts_cuts_long_errors_and_goes_with_its_item() throws Exception {
        start();
        // a destination without a route: nothing but this test claims its items
        List<CanonicalEvent> events = events(1, EventType.CLICKED);
        String id = events.get(0).id();
        store(hub.database(), events, "nobody");
        DeliveryQueue queue = new DeliveryQueue(hub.database());
        for (int attempt = 1; attempt <= 25; attempt++) {
            long now = System.currentTimeMillis();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !queue.claim("nobody", 10, System.currentTimeMillis(),
                    System.currentTimeMillis() + 60_000, "test").isEmpty());
            String error = attempt == 25 ? "x".repeat(3000) : "failure " + attempt;
            assertThat(queue.apply("nobody", "test", now,
                    List.of(new DeliveryQueue.Outcome(id, "pending", attempt, now, error)))).isEqualTo(1);
        }

        JsonNode history = list("nobody", "pending").get("deliveries").get(0).get("history");
        List<Integer> numbers = new ArrayList<>();
        history.forEach(a -> numbers.add(a.get("attempt").asInt()));
        assertThat(numbers).containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        assertThat(history.get(0).get("error").asText()).isEqualTo("failure 6");
        String cut = history.get(19).get("error").asText();
        assertThat(cut).hasSize(500).endsWith("x\u2026");

        try (Connection c = hub.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM hub_delivery WHERE destination = 'nobody'")) {
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(attemptRows()).isZero();
    }

    private JsonNode list(String destination, String status) throws Exception {
        HttpResponse<String> r = call(hub, "GET", "/api/deliveries?destination=" + destination + "&status=" + status);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private int attemptRows() throws SQLException {
        try (Connection c = hub.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hub_delivery_attempt");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
