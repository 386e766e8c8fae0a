package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A request no route takes is answered JSON: 404 naming the path, or 405 with Allow for a path served with other methods; each counted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnroutedAnswersTest {
    private static final String BEARER = "Bearer " + HubRunner.ADMIN_TOKEN;
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of());
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void answers_an_unknown_api_path_with_json_404_naming_it() {
        double before = rejected("api", "not_found");
        HttpResponse<String> r = hub.get("/api/nope", "Authorization", BEARER);
        assertJson(r, 404, "{\"error\":\"no route at /api/nope\"}");
        assertThat(rejected("api", "not_found")).isEqualTo(before + 1);
    }

    @Test
    void answers_unknown_paths_outside_the_api_with_json_404_counted_by_area() {
        double observe = rejected("observe", "not_found");
        double other = rejected("other", "not_found");
        assertJson(hub.get("/observe/nope"), 404, "{\"error\":\"no route at /observe/nope\"}");
        assertJson(hub.get("/nothing-here"), 404, "{\"error\":\"no route at /nothing-here\"}");
        assertJson(hub.get("/"), 404, "{\"error\":\"no route at /\"}");
        assertThat(rejected("observe", "not_found")).isEqualTo(observe + 1);
        assertThat(rejected("other", "not_found")).isEqualTo(other + 2);
    }

    @Test
    void answers_a_wrong_method_on_an_api_path_with_405_and_the_allowed_methods() {
        double before = rejected("api", "method_not_allowed");
        HttpResponse<String> r = send("PUT", "/api/events");
        assertJson(r, 405, "{\"error\":\"PUT is not allowed on /api/events (allowed: GET)\"}");
        assertThat(r.headers().firstValue("Allow")).contains("GET");
        assertThat(send("DELETE", "/api/suppressions").headers().firstValue("Allow")).contains("GET, POST");
        HttpResponse<String> templated = send("PUT", "/api/suppressions/jane@example.com");
        assertThat(templated.statusCode()).isEqualTo(405);
        assertThat(templated.headers().firstValue("Allow")).contains("DELETE, GET");
        assertThat(rejected("api", "method_not_allowed")).isEqualTo(before + 3);
    }

    @Test
    void answers_a_wrong_method_on_observe_with_405() {
        HttpResponse<String> r = send("POST", "/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void answers_a_wrong_method_on_a_webhook_with_405_counted_for_its_vendor() {
        double before = Metrics.value(hub.get("/observe/metrics").body(),
                "hub_webhooks_total{outcome=\"rejected\",reason=\"method_not_allowed\",vendor=\"sendgrid\"}");
        HttpResponse<String> r = hub.get("/webhooks/sendgrid");
        assertJson(r, 405, "{\"error\":\"GET is not allowed on /webhooks/sendgrid (allowed: HEAD, POST)\"}");
        assertThat(r.headers().firstValue("Allow")).contains("HEAD, POST");
        assertThat(Metrics.value(hub.get("/observe/metrics").body(),
                "hub_webhooks_total{outcome=\"rejected\",reason=\"method_not_allowed\",vendor=\"sendgrid\"}"))
                .isEqualTo(before + 1);
    }

    @Test
    void answers_a_served_path_whose_media_types_do_not_match_with_json_406_or_415() {
        double before = rejected("api", "not_acceptable");
        assertJson(hub.get("/api/events", "Authorization", BEARER, "Accept", "text/html"), 406,
                "{\"error\":\"GET /api/events answers application/json (Accept)\"}");
        assertThat(rejected("api", "not_acceptable")).isEqualTo(before + 1);
        HttpResponse<String> r = hub.post("/api/suppressions", "text/plain", "x".getBytes(), "Authorization", BEARER);
        assertJson(r, 415, "{\"error\":\"POST /api/suppressions does not read text/plain (Content-Type)\"}");
    }

    @Test
    void still_serves_known_paths_with_their_methods() {
        assertThat(hub.get("/api/events", "Authorization", BEARER).statusCode()).isEqualTo(200);
        assertThat(hub.get("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/openapi.json").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path) {
        return HubRunner.send(HttpRequest.newBuilder(hub.uri(path)).header("Authorization", BEARER)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private double rejected(String area, String reason) {
        return Metrics.value(hub.get("/observe/metrics").body(),
                "hub_http_rejected_total{area=\"" + area + "\",reason=\"" + reason + "\"}");
    }

    private static void assertJson(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo(body);
    }
}
