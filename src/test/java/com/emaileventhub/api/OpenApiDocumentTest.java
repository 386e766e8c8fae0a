package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /api/openapi.json: the /api part of the document, generated from the REST DSL of routes/api.camel.yaml, lists
 * every operation with its parameters and answers, needs no token, and echoes nothing of the request; the API
 * routes keep answering as before (token first, 405 for a method an operation does not have).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    private HubRunner hub;
    private JsonNode document;

    @BeforeAll
    void start() throws Exception {
        hub = HubRunner.start(Map.of());
        HttpResponse<String> r = hub.get("/api/openapi.json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        document = Json.MAPPER.readTree(r.body());
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void lists_every_operation_of_the_api_and_nothing_else() {
        Map<String, List<String>> operations = new TreeMap<>();
        document.get("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/api/")) {
                return;   // webhooks, /observe and the dashboard: OpenApiLiveRoutesTest
            }
            List<String> methods = new ArrayList<>();
            path.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase()));
            operations.put(path.getKey(), methods.stream().sorted().toList());
        });
        assertThat(operations).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("/api/openapi.json", List.of("GET")),
                Map.entry("/api/events", List.of("GET")),
                Map.entry("/api/messages/{message_id}/events", List.of("GET")),
                Map.entry("/api/messages/{message_id}", List.of("GET")),
                Map.entry("/api/alerts", List.of("GET")),
                Map.entry("/api/leads", List.of("GET")),
                Map.entry("/api/recipients/inactive", List.of("GET")),
                Map.entry("/api/stats", List.of("GET")),
                Map.entry("/api/stats/links", List.of("GET")),
                Map.entry("/api/stats/bounce-reasons", List.of("GET")),
                Map.entry("/api/deliveries", List.of("GET")),
                Map.entry("/api/deliveries/replay", List.of("POST")),
                Map.entry("/api/deliveries/backfill", List.of("POST")),
                Map.entry("/api/suppressions", List.of("GET", "POST")),
                Map.entry("/api/suppressions/{email}", List.of("DELETE", "GET")),
                Map.entry("/api/suppressions/{email}/audit", List.of("GET")))));
    }

    @Test
    void describes_the_query_parameters_of_the_event_search() {
        JsonNode search = document.at("/paths/~1api~1events/get");
        List<String> names = new ArrayList<>();
        search.get("parameters").forEach(p -> {
            assertThat(p.get("in").asText()).as(p.toString()).isEqualTo("query");
            assertThat(p.get("required").asBoolean()).as(p.toString()).isFalse();
            names.add(p.get("name").asText());
        });
        assertThat(names).containsExactly("message_id", "recipient", "type", "esp", "since", "until", "limit", "cursor");
        assertThat(search.at("/parameters/6/schema/type").asText()).isEqualTo("integer");
        assertThat(fieldNames(search.get("responses"))).containsExactly("200", "400", "401", "503");
    }

    @Test
    void names_required_parameters_allowed_values_and_the_answers_of_writes() {
        JsonNode list = document.at("/paths/~1api~1deliveries/get/parameters");
        assertThat(list.get(0).get("name").asText()).isEqualTo("destination");
        assertThat(list.get(0).get("required").asBoolean()).isTrue();
        assertThat(list.get(1).get("name").asText()).isEqualTo("status");
        assertThat(list.get(1).at("/schema/enum").toString()).isEqualTo("[\"dead\",\"pending\",\"delivered\"]");
        assertThat(document.at("/paths/~1api~1deliveries~1replay/post/parameters/2/schema/enum").toString())
                .isEqualTo("[\"dead\",\"delivered\",\"all\"]");
        assertThat(fieldNames(document.at("/paths/~1api~1suppressions/post/responses")))
                .containsExactly("201", "400", "401", "403", "409", "503");
        assertThat(document.at("/paths/~1api~1suppressions~1{email}/delete/parameters/0/in").asText()).isEqualTo("path");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0/bearer").isArray()).isTrue();
    }

    @Test
    void title_version_and_description_come_from_the_properties() {
        assertThat(document.at("/info/title").asText()).isEqualTo("Email Event Hub HTTP API");
        assertThat(document.at("/info/version").asText()).isEqualTo("1");
        assertThat(document.at("/info/description").asText()).startsWith("Webhook intake of every running ESP route, and the stored email events");
        assertThat(document.at("/servers").toString()).isEqualTo("[{\"url\":\"/\"}]");
    }

    @Test
    void needs_no_token_and_echoes_neither_a_header_nor_a_query_parameter() {
        HttpResponse<String> r = hub.get("/api/openapi.json?Set-Cookie=x&X-Injected=y", "Authorization",
                "Bearer " + HubRunner.ADMIN_TOKEN, "X-Request-Echo", "z");
        assertThat(r.statusCode()).isEqualTo(200);
        // besides the message's framing (HTTP/1.1 here; chunked or with a length), only the content type
        assertThat(r.headers().map().keySet()).filteredOn(h -> !Set.of(":status", "content-length", "transfer-encoding")
                .contains(h)).containsExactly("content-type");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void operations_still_check_the_token_first_and_refuse_methods_they_do_not_have() {
        HttpResponse<String> r = hub.get("/api/events?limit=0");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"error\":\"missing bearer token (Authorization header)\"}");
        for (String[] call : new String[][] {{"PUT", "/api/events"}, {"POST", "/api/events"},
                {"DELETE", "/api/suppressions"}, {"PUT", "/api/suppressions/a@example.com"},
                {"OPTIONS", "/api/events"}, {"HEAD", "/api/events"}, {"POST", "/api/openapi.json"}}) {
            HttpResponse<String> refused = HubRunner.send(HttpRequest.newBuilder(hub.uri(call[1]))
                    .method(call[0], HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + HubRunner.ADMIN_TOKEN).build());
            assertThat(refused.statusCode()).as(call[0] + " " + call[1]).isEqualTo(405);
        }
        assertThat(hub.get("/api/nope", "Authorization", "Bearer " + HubRunner.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
