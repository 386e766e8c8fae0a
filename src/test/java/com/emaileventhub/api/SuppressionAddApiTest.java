package com.emaileventhub.api;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.event;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * POST /api/suppressions (a suppression added by hand) and GET /api/suppressions/{email}/audit over real
 * HTTP, on each database: the added suppression is answered, forwarded and lifted like any other.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class SuppressionAddApiTest {
    private static final String READ = "reader-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private HttpServer forward;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private Hub hub;

    @BeforeEach
    void start() throws Exception {
        forward = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        forward.createContext("/suppressions", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        forward.start();
        running = DeliveryFixtures.startOn(kind, "hub.api.read-token=" + READ,
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
    void a_suppression_added_by_hand_is_answered_forwarded_audited_and_lifted() throws Exception {
        HttpResponse<String> added = post("/api/suppressions?actor=alice", DeliveryFixtures.TOKEN,
                "{\"email\": \"Ops.Case@Example.com\", \"note\": \"asked by phone\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode s = Json.MAPPER.readTree(added.body());
        assertThat(s.get("email").asText()).isEqualTo("ops.case@example.com");
        assertThat(s.get("reason").asText()).isEqualTo("manual");
        assertThat(s.get("esp").asText()).isEqualTo("manual");
        assertThat(s.get("first_at").asText()).isEqualTo(s.get("last_at").asText());
        assertThat(s.get("event_id").asText()).hasSize(32);

        JsonNode got = Json.MAPPER.readTree(call(hub, "GET", "/api/suppressions/ops.case@example.com").body());
        assertThat(got).isEqualTo(s);

        // forwarded as the same JSON as GET answers
        await().atMost(15, TimeUnit.SECONDS).until(() -> posted.size() == 1);
        assertThat(Json.MAPPER.readTree(posted.get(0))).isEqualTo(s);
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                new DeliveryQueue(hub.database()).backlog("suppression-forward").pending() == 0);
        assertThat(new DeliveryQueue(hub.database()).list("suppression-forward", DeliveryQueue.DELIVERED, 10, null)
                .items()).extracting(DeliveryQueue.Item::eventId).containsExactly(s.get("event_id").asText());

        // a second add of the same address changes nothing
        HttpResponse<String> again = post("/api/suppressions", DeliveryFixtures.TOKEN,
                "{\"email\": \"ops.case@example.com\", \"reason\": \"complaint\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already suppressed (reason manual)");

        assertThat(call(hub, "DELETE", "/api/suppressions/ops.case@example.com?actor=bob&note=mistake").statusCode())
                .isEqualTo(200);
        assertThat(call(hub, "GET", "/api/suppressions/ops.case@example.com").statusCode()).isEqualTo(404);

        HttpResponse<String> audit = get("/api/suppressions/Ops.Case%40example.com/audit", READ);
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        JsonNode trail = Json.MAPPER.readTree(audit.body());
        assertThat(trail.get("email").asText()).isEqualTo("ops.case@example.com");
        assertThat(trail.get("suppressed").asBoolean()).isFalse();
        assertThat(trail.get("audit")).hasSize(2);
        JsonNode lift = trail.get("audit").get(0);
        JsonNode add = trail.get("audit").get(1);
        assertThat(lift.get("action").asText() + " " + lift.get("reason").asText() + " " + lift.get("actor").asText()
                + " " + lift.get("note").asText()).isEqualTo("lift manual api:bob mistake");
        assertThat(add.get("action").asText() + " " + add.get("reason").asText() + " " + add.get("actor").asText()
                + " " + add.get("note").asText()).isEqualTo("suppress manual api:alice asked by phone");
        assertThat(add.get("at").asText()).isEqualTo(s.get("first_at").asText());
        assertThat(add.get("event_id").isNull()).isTrue();

        // lifted, it may be added again, with a known reason and the actor in the body
        HttpResponse<String> readd = post("/api/suppressions", DeliveryFixtures.TOKEN,
                "{\"email\": \"ops.case@example.com\", \"reason\": \"complaint\", \"actor\": \"carol\"}");
        assertThat(readd.statusCode()).as(readd.body()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(readd.body()).get("reason").asText()).isEqualTo("complaint");
        await().atMost(15, TimeUnit.SECONDS).until(() -> posted.size() == 2);
        assertThat(Json.MAPPER.readTree(posted.get(1)).get("reason").asText()).isEqualTo("complaint");
        JsonNode newest = Json.MAPPER.readTree(get("/api/suppressions/ops.case@example.com/audit", READ).body())
                .get("audit").get(0);
        assertThat(newest.get("actor").asText() + " " + newest.get("reason").asText()).isEqualTo("api:carol complaint");
    }

    @Test
    void the_audit_trail_of_an_event_caused_suppression_names_the_event() throws Exception {
        var complaint = event("angry@example.com", EventType.COMPLAINED, null, Instant.parse("2026-03-03T10:00:00Z"));
        store(hub.database(), List.of(complaint), "suppression");
        await().atMost(10, TimeUnit.SECONDS).until(() ->
                call(hub, "GET", "/api/suppressions/angry@example.com").statusCode() == 200);
        JsonNode trail = Json.MAPPER.readTree(call(hub, "GET", "/api/suppressions/angry@example.com/audit").body());
        assertThat(trail.get("suppressed").asBoolean()).isTrue();
        assertThat(trail.get("audit")).hasSize(1);
        assertThat(trail.get("audit").get(0).get("actor").asText()).isEqualTo("event:" + complaint.id());
        assertThat(trail.get("audit").get(0).get("event_id").asText()).isEqualTo(complaint.id());
    }

    @Test
    void bad_input_is_400_naming_the_field_a_read_token_403_and_an_unknown_address_404() throws Exception {
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "{\"note\": \"x\"}"), 400, "field email: required");
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "{\"email\": \"not-an-address\"}"), 400,
                "field email: not an email address");
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "{\"email\": 42}"), 400, "field email: must be a string");
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "{\"email\": \"a@example.com\", \"reason\": \"bored\"}"),
                400, "field reason: must be one of [complaint, hard_bounce, manual, repeated_soft_bounce, unsubscribe]");
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "{\"email\": "), 400, "body: not JSON");
        assertError(post("/api/suppressions", DeliveryFixtures.TOKEN, "[]"), 400, "body: must be a JSON object");
        assertError(post("/api/suppressions", READ, "{\"email\": \"a@example.com\"}"), 403, "may only read");
        assertError(get("/api/suppressions/nobody@example.com/audit", DeliveryFixtures.TOKEN), 404,
                "nobody@example.com has never been suppressed");
        assertThat(call(hub, "GET", "/api/suppressions/a@example.com").statusCode()).isEqualTo(404);
        assertThat(posted).isEmpty();
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.MAPPER.readTree(r.body()).get("error").asText()).contains(message);
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + DeliveryFixtures.port(hub) + path);
    }
}
