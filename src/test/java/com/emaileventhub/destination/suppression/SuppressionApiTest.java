package com.emaileventhub.destination.suppression;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.event;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GET/DELETE /api/suppressions over real HTTP, and new suppressions forwarded to a fake with a 500 first,
 * on each database.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class SuppressionApiTest {
    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private HttpServer forward;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private Hub hub;

    @BeforeEach
    void forwardEndpoint() throws Exception {
        forward = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        forward.createContext("/suppressions", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = requests.incrementAndGet() == 1 ? 500 : 200;   // the first call fails
            if (status == 200) {
                posted.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                        + " " + new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        forward.start();
        running = DeliveryFixtures.startOn(kind,
                "hub.suppression.forward-url=http://127.0.0.1:" + forward.getAddress().getPort() + "/suppressions");
        hub = running.hub();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        forward.stop(0);
    }

    @Test
    void suppressions_are_looked_up_paged_and_lifted_with_an_audit_entry() throws Exception {
        Instant t = Instant.parse("2026-03-02T09:30:00.250Z");
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event("user" + i + "+tag@example.com", EventType.BOUNCED, BounceType.HARD, t.plusSeconds(i)));
        }
        events.add(event("fine@example.com", EventType.DELIVERED, null, t));
        store(hub.database(), events.subList(0, 5), "suppression");
        store(hub.database(), events.subList(5, 6), "suppression");

        await().atMost(10, TimeUnit.SECONDS).until(() -> call(hub, "GET", "/api/suppressions/user4+tag@example.com")
                .statusCode() == 200);
        JsonNode one = json(call(hub, "GET", "/api/suppressions/User0%2Btag%40Example.com"));
        assertThat(one.get("email").asText()).isEqualTo("user0+tag@example.com");
        assertThat(one.get("reason").asText()).isEqualTo("hard_bounce");
        assertThat(one.get("esp").asText()).isEqualTo("test");
        assertThat(one.get("first_at").asText()).isEqualTo("2026-03-02T09:30:00.250Z");
        assertThat(one.get("last_at").asText()).isEqualTo("2026-03-02T09:30:00.250Z");
        assertThat(one.get("event_id").asText()).isEqualTo(events.get(0).id());
        assertThat(call(hub, "GET", "/api/suppressions/fine@example.com").statusCode()).isEqualTo(404);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(call(hub, "GET", "/api/suppressions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            assertThat(page.get("suppressions").size()).isLessThanOrEqualTo(2);
            page.get("suppressions").forEach(s -> listed.add(s.get("email").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(listed).containsExactly("user0+tag@example.com", "user1+tag@example.com", "user2+tag@example.com",
                "user3+tag@example.com", "user4+tag@example.com");
        assertThat(call(hub, "GET", "/api/suppressions?limit=abc").body()).contains("parameter limit");

        HttpResponse<String> lift = call(hub, "DELETE", "/api/suppressions/user1+tag@example.com?actor=ops&note=asked");
        assertThat(lift.statusCode()).isEqualTo(200);
        assertThat(call(hub, "GET", "/api/suppressions/user1+tag@example.com").statusCode()).isEqualTo(404);
        assertThat(call(hub, "DELETE", "/api/suppressions/user1+tag@example.com").statusCode()).isEqualTo(404);
        assertThat(hub.delivery().suppressions().audit("user1+tag@example.com"))
                .extracting(a -> a.action() + " " + a.actor() + " " + a.note())
                .containsExactly("suppress event:" + events.get(1).id() + " null", "lift api:ops asked");
    }

    @Test
    void each_new_suppression_is_posted_to_the_forward_url_and_retried_after_a_500() throws Exception {
        CanonicalEvent complaint = event("angry@example.com", EventType.COMPLAINED, null, Instant.parse("2026-03-03T10:00:00Z"));
        store(hub.database(), List.of(complaint), "suppression");

        await().atMost(15, TimeUnit.SECONDS).until(() -> posted.size() == 1);
        assertThat(requests.get()).isEqualTo(2);
        String[] parts = posted.get(0).split(" ", 3);
        assertThat(parts[0]).isEqualTo("POST");
        assertThat(parts[1]).startsWith("application/json");
        JsonNode body = Json.MAPPER.readTree(parts[2]);
        assertThat(body.get("email").asText()).isEqualTo("angry@example.com");
        assertThat(body.get("reason").asText()).isEqualTo("complaint");
        assertThat(body.get("event_id").asText()).isEqualTo(complaint.id());
        assertThat(body.get("first_at").asText()).isEqualTo("2026-03-03T10:00:00.000Z");

        // the same complaint again (a replay) is not a new suppression: nothing more is posted
        assertThat(json(call(hub, "POST", "/api/deliveries/replay?destination=suppression&status=delivered"))
                .get("requeued").asInt()).isEqualTo(1);
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                new DeliveryQueue(hub.database()).backlog("suppression").pending() == 0);
        assertThat(new DeliveryQueue(hub.database()).backlog("suppression-forward").pending())
                .isZero();
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void an_address_bounced_three_times_in_one_batch_in_any_case_is_forwarded_once() throws Exception {
        Instant t = Instant.parse("2026-03-05T08:00:00Z");
        List<CanonicalEvent> bounces = List.of(event("Same.Person@example.com", EventType.BOUNCED, BounceType.HARD, t),
                event("same.person@example.com", EventType.BOUNCED, BounceType.HARD, t.plusSeconds(1)),
                event("SAME.PERSON@example.com", EventType.COMPLAINED, null, t.plusSeconds(2)));
        store(hub.database(), bounces, "suppression");

        await().atMost(15, TimeUnit.SECONDS).until(() -> posted.size() == 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> new DeliveryQueue(hub.database()).backlog("suppression-forward")
                .pending() == 0);
        assertThat(posted).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(posted.get(0).split(" ", 3)[2]);
        assertThat(body.get("email").asText()).isEqualTo("same.person@example.com");
        assertThat(body.get("reason").asText()).isEqualTo("hard_bounce");
        assertThat(body.get("event_id").asText()).isEqualTo(bounces.get(0).id());
        JsonNode api = json(call(hub, "GET", "/api/suppressions/Same.Person@example.com"));
        assertThat(api.get("last_at").asText()).isEqualTo("2026-03-05T08:00:02.000Z");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
