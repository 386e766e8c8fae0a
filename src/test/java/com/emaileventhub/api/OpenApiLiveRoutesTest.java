package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /api/openapi.json against the routes of a running hub: every HTTP route is either in the document or a
 * webhook route (documented per vendor in docs/vendors/), and every documented operation reaches its route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiLiveRoutesTest {
    /** rest:METHOD:BASE-PATH[:URI-TEMPLATE][?options], as Camel names the endpoint of a REST DSL route. */
    private static final Pattern REST = Pattern.compile("rest:(?://)?([a-z]+):([^:?]*)(?::([^?]*))?(?:\\?.*)?");
    private HubRunner hub;
    private JsonNode document;

    @BeforeAll
    void start() throws Exception {
        hub = HubRunner.start(Map.of());
        document = Json.MAPPER.readTree(hub.get("/api/openapi.json").body());
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void every_http_route_is_documented_or_a_webhook() {
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(p ->
                p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> served = new TreeSet<>();
        for (Route route : hub.hub().context().getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            Matcher rest = REST.matcher(URLDecoder.decode(uri, StandardCharsets.UTF_8));
            if (rest.matches()) {
                // a REST DSL operation: rest:get:/api:/events
                String path = rest.group(2) + (rest.group(3) == null ? "" : rest.group(3));
                if (!path.equals("/api/openapi.json")) {   // the document itself is not one of its operations
                    served.add(rest.group(1).toUpperCase(Locale.ROOT) + " " + path);
                }
            } else if (uri.startsWith("platform-http:")) {
                // any other HTTP route must be a webhook (documented per vendor in docs/vendors/) or the dashboard's
                // page and files (docs/dashboard.md), which are not an API
                assertThat(uri.substring("platform-http:".length()).replaceFirst("^/+", "/"))
                        .as(route.getRouteId() + " serves HTTP outside the REST DSL").matches("/(webhooks|dashboard)([/?].*)?");
            }
        }
        assertThat(served).isNotEmpty().isEqualTo(documented);
    }

    @Test
    void every_documented_operation_reaches_its_route_which_asks_for_the_token() {
        document.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            String path = p.getKey().replace("{message_id}", "m-1").replace("{email}", "a@example.com");
            // writes consume JSON: a JSON body gets past the content-type check to the route
            HttpResponse<String> r = HubRunner.send(HttpRequest.newBuilder(hub.uri(path)).header("Content-Type", "application/json")
                    .method(m.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofString("post".equals(m) ? "{}" : "")).build());
            assertThat(r.statusCode()).as(m + " " + path + ": " + r.body()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"missing bearer token (Authorization header)\"}");
        }));
    }

}
