package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two bearer tokens of /api/**, on every API route: hub.admin.token does everything, hub.api.read-token
 * only reads (403 on a write), both rotate as comma-separated lists, and a token in the query string counts
 * for nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTokensTest {
    private static final String ADMIN = "admin-" + UUID.randomUUID();
    private static final String OLD_ADMIN = "old-admin-" + UUID.randomUUID();
    private static final String READ = "read-" + UUID.randomUUID();
    private static final String OLD_READ = "old-read-" + UUID.randomUUID();
    /** Every GET route of the API, with parameters that answer 200 to a valid token. */
    private static final List<String> READ_ROUTES = List.of("/api/events", "/api/messages/m-1/events",
            "/api/deliveries?destination=archive&status=dead", "/api/suppressions");

    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of("hub.admin.token", OLD_ADMIN + ", " + ADMIN, "hub.api.read-token", OLD_READ + "," + READ,
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void every_read_route_answers_200_to_either_read_token_and_either_admin_token() {
        String suppressed = suppress();
        for (String path : routesWith(suppressed)) {
            for (String token : List.of(READ, OLD_READ, ADMIN, OLD_ADMIN)) {
                HttpResponse<String> r = hub.get(path, "Authorization", "Bearer " + token);
                assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            }
        }
        assertThat(hub.get("/api/suppressions/" + suppressed, "Authorization", "Bearer " + READ).body())
                .contains("\"email\":\"" + suppressed + "\"");
    }

    @Test
    void every_route_answers_401_without_a_token_or_with_a_wrong_one() {
        String suppressed = suppress();
        for (String path : routesWith(suppressed)) {
            assertUnauthorized(hub.get(path), path);
            assertUnauthorized(hub.get(path, "Authorization", "Bearer " + READ + "x"), path);
            assertUnauthorized(hub.get(path, "Authorization", "Basic " + READ), path);
        }
        assertUnauthorized(send("POST", "/api/deliveries/replay?destination=archive", null), "replay");
        assertUnauthorized(send("DELETE", "/api/suppressions/" + suppressed, "wrong"), "lift");
        assertThat(isSuppressed(suppressed)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer%20", "bearer%20", ""})
    void a_token_in_the_query_string_counts_for_nothing(String prefix) {
        String suppressed = suppress();
        for (String path : routesWith(suppressed)) {
            String withToken = path + (path.contains("?") ? "&" : "?") + "Authorization=" + prefix + ADMIN;
            assertUnauthorized(hub.get(withToken), withToken);
        }
        assertUnauthorized(send("DELETE", "/api/suppressions/" + suppressed + "?Authorization=" + prefix + ADMIN, null),
                "lift");
        assertUnauthorized(send("POST", "/api/deliveries/replay?destination=archive&Authorization=" + prefix + ADMIN, null),
                "replay");
        assertThat(isSuppressed(suppressed)).isTrue();
    }

    @Test
    void a_read_token_may_not_lift_a_suppression_403_and_the_address_stays_suppressed() {
        String suppressed = suppress();
        for (String token : List.of(READ, OLD_READ)) {
            HttpResponse<String> r = send("DELETE", "/api/suppressions/" + suppressed, token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.body()).isEqualTo("{\"error\":\"this token may only read (GET); DELETE needs hub.admin.token\"}");
        }
        assertThat(isSuppressed(suppressed)).isTrue();
        HttpResponse<String> lifted = send("DELETE", "/api/suppressions/" + suppressed, OLD_ADMIN);
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(isSuppressed(suppressed)).isFalse();
    }

    @Test
    void a_read_token_may_not_replay_403_while_the_admin_token_may() {
        HttpResponse<String> refused = send("POST", "/api/deliveries/replay?destination=archive", READ);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"error\":\"this token may only read (GET); POST needs hub.admin.token\"}");
        HttpResponse<String> done = send("POST", "/api/deliveries/replay?destination=archive", ADMIN);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("{\"destination\":\"archive\",\"requeued\":0}");
    }

    @Test
    void a_read_token_cannot_lift_by_naming_the_method_in_the_query_string() {
        String suppressed = suppress();
        for (String query : List.of("?CamelHttpMethod=DELETE", "?hubHttpMethod=DELETE")) {
            HttpResponse<String> r = hub.get("/api/suppressions/" + suppressed + query, "Authorization", "Bearer " + READ);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(isSuppressed(suppressed)).as(query).isTrue();
        }
    }

    @Test
    void the_token_never_appears_in_an_answer() {
        HttpResponse<String> r = send("DELETE", "/api/suppressions/nobody@example.com", READ);
        assertThat(r.body()).doesNotContain(READ);
        assertThat(r.headers().map().toString()).doesNotContain(READ);
    }

    private static List<String> routesWith(String suppressed) {
        return Stream.concat(READ_ROUTES.stream(), Stream.of("/api/suppressions/" + suppressed))
                .toList();
    }

    /** A fresh address suppressed by a Postmark hard bounce, once the suppression destination has it. */
    private String suppress() {
        String email = "t-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> r = hub.post("/webhooks/postmark", "application/json",
                Postmark.record("Bounce", "HardBounce", "msg-" + email, email), "Authorization", Postmark.auth());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> isSuppressed(email));
        return email;
    }

    private boolean isSuppressed(String email) {
        return hub.get("/api/suppressions/" + URLEncoder.encode(email, StandardCharsets.UTF_8), "Authorization",
                "Bearer " + ADMIN).statusCode() == 200;
    }

    private HttpResponse<String> send(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HubRunner.send(b.build());
    }

    private static void assertUnauthorized(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
        assertThat(r.body()).as(what).startsWith("{\"error\":");
    }
}
