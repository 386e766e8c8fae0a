package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /api/openapi.json against a running hub: every path and method its HTTP server routes (REST DSL operations,
 * webhook routes, the dashboard, /observe) is in the document and nothing else is; every documented operation
 * answers with one of its documented statuses and media types; the document is valid OpenAPI 3.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiLiveRoutesTest {
    /** rest:METHOD:BASE-PATH[:URI-TEMPLATE][?options], as Camel names the endpoint of a REST DSL route. */
    private static final Pattern REST = Pattern.compile("rest:(?://)?([a-z]+):([^:?]*)(?::([^?]*))?(?:\\?.*)?");
    /** An unsigned body: an SNS notification without its signature, and for Mailgun an object without one. */
    private static final String UNSIGNED = "{\"Type\":\"Notification\",\"MessageId\":\"m-1\","
            + "\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ses\",\"Message\":\"{}\",\"Timestamp\":\"2026-01-01T00:00:00.000Z\"}";
    private HubRunner hub;
    private String body;
    private JsonNode document;

    @BeforeAll
    void start() throws Exception {
        hub = HubRunner.start(Map.of());
        body = hub.get("/api/openapi.json").body();
        document = Json.MAPPER.readTree(body);
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void documents_every_route_of_the_http_server_and_nothing_else() {
        Set<String> routed = new TreeSet<>();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(hub.hub().context(),
                VertxPlatformHttpRouter.getRouterNameFromPort(hub.port()));
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            // the webhook gate (a prefix, every method) and the JSON 404/405 route serve no path of their own
            if (r.isExactPath() && r.methods() != null) {
                r.methods().forEach(m -> routed.add(m.name() + " " + r.getPath().replaceAll(":([^/]+)", "{$1}")));
            }
        }
        assertThat(routed).contains("GET /observe/health", "GET /observe/health/ready", "GET /observe/metrics",
                "POST /webhooks/sendgrid", "POST /webhooks/mailersend", "GET /dashboard", "GET /api/events");
        assertThat(documented()).isEqualTo(routed);
    }

    @Test
    void documents_every_rest_operation_and_every_platform_http_route_of_the_context() {
        Set<String> documented = documented();
        Set<String> routes = new TreeSet<>();
        for (Route route : hub.hub().context().getRoutes()) {
            Matcher rest = REST.matcher(URLDecoder.decode(route.getEndpoint().getEndpointUri(), StandardCharsets.UTF_8));
            if (rest.matches()) {
                // a REST DSL operation: rest:get:/api:/events
                routes.add(rest.group(1).toUpperCase(Locale.ROOT) + " " + rest.group(2) + (rest.group(3) == null ? "" : rest.group(3)));
            } else if (route.getEndpoint() instanceof PlatformHttpEndpoint http) {
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    routes.add(method + " " + http.getPath());
                }
            }
        }
        assertThat(routes).hasSizeGreaterThan(30).contains("POST /webhooks/ses", "HEAD /webhooks/mandrill",
                "GET /api/openapi.json", "GET /dashboard/{file}");
        assertThat(documented).containsAll(routes);
    }

    @Test
    void every_documented_operation_answers_a_documented_status_and_media_type() {
        List<String> checked = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            String method = op.getKey().toUpperCase(Locale.ROOT);
            for (String path : concrete(p.getKey(), op.getValue())) {
                HttpResponse<String> r = call(method, path, op.getValue());
                String label = method + " " + path + " " + r.statusCode() + " " + r.body();
                JsonNode response = resolve(op.getValue().at("/responses/" + r.statusCode()));
                assertThat(response.isMissingNode()).as(label + ": status not documented").isFalse();
                String type = r.headers().firstValue("content-type").orElse("").replaceFirst(";.*", "").trim();
                if (response.has("content")) {
                    assertThat(response.get("content").has(type)).as(label + ": " + type + " not documented").isTrue();
                }
                checked.add(method + " " + path + " " + r.statusCode());
                expect(method, path, r);
            }
        }));
        assertThat(checked).contains("GET /observe/health 200", "GET /dashboard 200", "GET /dashboard/dashboard.js 200",
                "POST /webhooks/sendgrid 401", "HEAD /webhooks/mandrill 200", "GET /api/openapi.json 200",
                "GET /api/events 401");
    }

    @Test
    void declares_openapi_3_1_and_validates_as_openapi() {
        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        // what the parser leaves to tools: each $ref resolves, each security requirement names a scheme, ids are unique
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(document.at(ref.substring(1)).isObject()).as(ref).isTrue());
        Set<String> ids = new TreeSet<>();
        List<String> operations = new ArrayList<>();
        document.get("paths").forEach(item -> item.forEach(op -> {
            operations.add(op.get("operationId").asText());
            ids.add(op.get("operationId").asText());
            JsonNode security = op.has("security") ? op.get("security") : document.get("security");
            security.forEach(requirement -> requirement.fieldNames().forEachRemaining(scheme ->
                    assertThat(document.at("/components/securitySchemes/" + scheme).isObject()).as(scheme).isTrue()));
        }));
        assertThat(ids).hasSameSizeAs(operations);
    }

    @Test
    void describes_how_each_vendor_authenticates() {
        assertThat(schemes("/webhooks/sendgrid")).containsExactly(List.of(
                "apiKey header X-Twilio-Email-Event-Webhook-Signature", "apiKey header X-Twilio-Email-Event-Webhook-Timestamp"));
        assertThat(schemes("/webhooks/postmark")).containsExactly(List.of("http basic"));
        assertThat(schemes("/webhooks/brevo")).containsExactly(List.of("http basic"), List.of("http bearer"));
        assertThat(schemes("/webhooks/resend")).containsExactly(
                List.of("apiKey header svix-id", "apiKey header svix-timestamp", "apiKey header svix-signature"),
                List.of("apiKey header webhook-id", "apiKey header webhook-timestamp", "apiKey header webhook-signature"));
        assertThat(schemes("/webhooks/mandrill")).containsExactly(List.of("apiKey header X-Mandrill-Signature"));
        assertThat(schemes("/webhooks/mailersend")).containsExactly(List.of("apiKey header Signature"));
        // signatures inside the body: no scheme, the description says how
        assertThat(schemes("/webhooks/mailgun")).isEmpty();
        assertThat(document.at("/paths/~1webhooks~1ses/post/description").asText()).contains("SNS message signature");
        assertThat(fieldNames(document.at("/paths/~1webhooks~1ses/post/requestBody/content")))
                .containsExactly("text/plain", "application/json");
        assertThat(fieldNames(document.at("/paths/~1webhooks~1mandrill/post/requestBody/content")))
                .containsExactly("application/x-www-form-urlencoded");
        assertThat(document.at("/paths/~1webhooks~1sendgrid/post/requestBody/content/application~1json/schema").has("type"))
                .as("any JSON: an event or a batch").isFalse();
        assertThat(fieldNames(document.at("/paths/~1webhooks~1sendgrid/post/responses")))
                .containsExactly("200", "400", "401", "403", "413", "415", "503");
        // /observe and the dashboard need no token; /api does
        assertThat(document.at("/paths/~1observe~1metrics/get/security").toString()).isEqualTo("[]");
        assertThat(document.at("/paths/~1dashboard/get/security").toString()).isEqualTo("[]");
        assertThat(document.at("/paths/~1api~1events/get").has("security")).isFalse();
        assertThat(document.at("/security").toString()).isEqualTo("[{\"bearer\":[]}]");
    }

    /** The concrete paths to call for a documented path: each dashboard file, sample values for other parameters. */
    private static List<String> concrete(String path, JsonNode operation) {
        if (path.equals("/dashboard/{file}")) {
            List<String> files = new ArrayList<>();
            operation.at("/parameters/0/schema/enum").forEach(f -> files.add("/dashboard/" + f.asText()));
            assertThat(files).contains("/dashboard/dashboard.js", "/dashboard/chart.umd.min.js");
            return files;
        }
        return List.of(path.replace("{message_id}", "m-1").replace("{email}", "a@example.com"));
    }

    /** A call without credentials, with the first media type the operation reads. */
    private HttpResponse<String> call(String method, String path, JsonNode operation) {
        JsonNode content = operation.at("/requestBody/content");
        String type = content.isObject() ? content.fieldNames().next() : "application/json";
        String payload = "POST".equals(method) ? (type.contains("form") ? "mandrill_events=%5B%5D" : UNSIGNED) : "";
        return HubRunner.send(HttpRequest.newBuilder(hub.uri(path)).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(payload)).build());
    }

    /** What each kind of endpoint answers a caller without credentials. */
    private static void expect(String method, String path, HttpResponse<String> r) {
        String label = method + " " + path + ": " + r.body();
        if (path.startsWith("/webhooks/") && method.equals("POST")) {
            assertThat(r.statusCode()).as(label).isEqualTo(401);
            assertThat(r.body()).as(label).matches("\\{\"error\":\"[^\"]+\"}");
        } else if (path.equals("/api/openapi.json") || !path.startsWith("/api/")) {
            assertThat(r.statusCode()).as(label).isEqualTo(200);
        } else {
            assertThat(r.statusCode()).as(label).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"missing bearer token (Authorization header)\"}");
        }
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private Set<String> documented() {
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(p ->
                p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return documented;
    }

    /** Each alternative of the POST's security, as the schemes' type, location and name. */
    private List<List<String>> schemes(String path) {
        List<List<String>> alternatives = new ArrayList<>();
        document.at("/paths/" + path.replace("/", "~1") + "/post/security").forEach(requirement -> {
            List<String> names = new ArrayList<>();
            requirement.fieldNames().forEachRemaining(n -> {
                JsonNode s = document.at("/components/securitySchemes/" + n);
                names.add(s.get("type").asText() + " " + (s.has("scheme") ? s.get("scheme").asText()
                        : s.get("in").asText() + " " + s.get("name").asText()));
            });
            alternatives.add(names);
        });
        return alternatives;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
