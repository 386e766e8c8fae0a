package com.emaileventhub.esp.declared;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.RoutesCopy;
import com.emaileventhub.support.Signing;
import com.emaileventhub.support.StoredEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An integrator's vendor made of one YAML file and its secret: the hub's routes are copied to a temporary
 * folder, two declared vendors are dropped into its webhooks/ (no Java, no other change), and they are
 * posted to over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredVendorHttpTest {
    /** HMAC-SHA256, base64 with a prefix, over "{timestamp}.{header:X-Acme-Delivery}.{body}"; a batch under /events. */
    static final String ACME = """
            # Acme Mail — HMAC-SHA256 (base64, "v1=") over timestamp.delivery-id.body; 5-minute window.
            # Batches under "events"; retried for a day.
            - templatedRoute:
                routeTemplateRef: esp-declared-intake
                routeId: webhook-acme
                parameters:
                  - { name: vendor, value: acme }
                  - { name: verification, value: hmac-sha256 }
                  - { name: signatureHeader, value: X-Acme-Signature }
                  - { name: signaturePrefix, value: "v1=" }
                  - { name: signatureEncoding, value: base64 }
                  - { name: signedContent, value: "{timestamp}.{header:X-Acme-Delivery}.{body}" }
                  - { name: timestampHeader, value: X-Acme-Timestamp }
                  - { name: tolerance, value: PT5M }
                  - { name: events, value: /events }
                  - { name: type, value: /kind }
                  - { name: types, value: "delivered:delivered,bounce_hard:bounced/hard,bounce_soft:bounced/soft,open:opened,click:clicked,spam:complained,unsub:unsubscribed" }
                  - { name: recipient, value: /to/address }
                  - { name: messageId, value: /message }
                  - { name: timestamp, value: /at_ms }
                  - { name: timestampUnit, value: ms }
                  - { name: url, value: /click/url }
                  - { name: userAgent, value: /client/ua }
                  - { name: ip, value: /client/ip }
                  - { name: reason, value: /why }
                  - { name: eventId, value: /id }
                  - { name: eventIdStable, value: "true" }
                  - { name: tags, value: /labels }
                  - { name: metadata, value: /vars }
            """;

    /** Basic auth, one event per request, ISO times. */
    static final String PLAIN = """
            - templatedRoute:
                routeTemplateRef: esp-declared-intake
                routeId: webhook-plainmail
                parameters:
                  - { name: vendor, value: plainmail }
                  - { name: verification, value: basic }
                  - { name: type, value: /event }
                  - { name: types, value: "sent:sent,delivered:delivered" }
                  - { name: recipient, value: /rcpt }
                  - { name: messageId, value: /msg }
                  - { name: timestamp, value: /when }
                  - { name: timestampUnit, value: iso }
            """;

    private final String secret = "acme-" + System.nanoTime();
    private Path routes;
    private HubRunner hub;
    private Instant since;

    @BeforeAll
    void start() throws IOException {
        routes = copyOfRoutes();
        Files.writeString(routes.resolve("webhooks/acme.camel.yaml"), ACME);
        Files.writeString(routes.resolve("webhooks/plainmail.camel.yaml"), PLAIN);
        hub = HubRunner.start(Map.of("hub.routes.dir", routes.toString(),
                "hub.esp.acme.secret", secret,
                "hub.esp.plainmail.username", "pm", "hub.esp.plainmail.password", "pw"));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @BeforeEach
    void mark() {
        since = Instant.now();
    }

    @Test
    void a_declared_vendor_stores_a_signed_batch_with_every_mapped_field() {
        String body = """
                {"batch": 7, "events": [
                  {"id": "e1", "kind": "delivered", "message": "m-1", "to": {"address": "Ann <Ann@Example.com>"}, "at_ms": 1735812000123},
                  {"id": "e2", "kind": "bounce_hard", "message": "m-1", "to": {"address": "bob@example.com"}, "at_ms": 1735812001000, "why": "no such user"},
                  {"id": "e3", "kind": "bounce_soft", "message": "m-1", "to": {"address": "cy@example.com"}, "at_ms": 1735812002000},
                  {"id": "e4", "kind": "click", "message": "m-1", "to": {"address": "ann@example.com"}, "at_ms": 1735812003000,
                   "click": {"url": "https://example.com/x?a=%2F"}, "client": {"ua": "Mozilla/5.0", "ip": "198.51.100.4"},
                   "labels": ["promo", "march"], "vars": {"user": 42, "plan": "pro"}},
                  {"id": "e5", "kind": "teleported", "message": "m-1", "to": {"address": "ann@example.com"}, "at_ms": "not a time"}
                ]}""";
        HttpResponse<String> r = postAcme(body, Instant.now(), "dlv-1", secret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":5,\"duplicates\":0}");
        List<String> stored = StoredEvents.since(hub.dataSource(), "acme", since);
        assertThat(stored).hasSize(5);
        assertThat(stored.subList(0, 4)).containsExactly(
                "delivered|-|ann@example.com|m-1|2025-01-02T10:00:00.123Z",
                "bounced|hard|bob@example.com|m-1|2025-01-02T10:00:01.000Z",
                "bounced|soft|cy@example.com|m-1|2025-01-02T10:00:02.000Z",
                "clicked|-|ann@example.com|m-1|2025-01-02T10:00:03.000Z");
        // an unmapped type is kept as unknown; an unreadable time falls back to received_at
        assertThat(stored.get(4)).startsWith("unknown|-|ann@example.com|m-1|");
        List<JsonNode> events = StoredEvents.eventsSince(hub.dataSource(), "acme", since);
        JsonNode click = events.get(3);
        assertThat(click.get("url").asText()).isEqualTo("https://example.com/x?a=%2F");
        assertThat(click.get("user_agent").asText()).isEqualTo("Mozilla/5.0");
        assertThat(click.get("ip").asText()).isEqualTo("198.51.100.4");
        assertThat(click.get("esp_event_id").asText()).isEqualTo("e4");
        assertThat(click.get("tags").toString()).isEqualTo("[\"promo\",\"march\"]");
        assertThat(click.get("metadata").get("user").asText()).isEqualTo("42");
        assertThat(events.get(1).get("reason").asText()).isEqualTo("no such user");
        assertThat(events.get(4).get("occurred_at")).isEqualTo(events.get(4).get("received_at"));

        // a retry is recognised by the stable event ids; only the event without a usable time (received_at stands
        // in, so its id changes) is stored again, as it would be for any vendor
        assertThat(postAcme(body, Instant.now(), "dlv-2", secret).body()).isEqualTo("{\"accepted\":1,\"duplicates\":4}");
    }

    @Test
    void a_declared_vendor_refuses_what_its_scheme_refuses() {
        String body = "{\"events\": [{\"id\": \"r1\", \"kind\": \"open\", \"message\": \"m-2\", \"to\": {\"address\": \"x@example.com\"}}]}";
        Instant now = Instant.now();
        String ts = Long.toString(now.getEpochSecond());
        String signature = "v1=" + sign(ts + ".dlv-3." + body, secret);
        // tampered body, another delivery id (a signed header), another secret, no signature, wrong prefix
        assertThat(hub.post("/webhooks/acme", "application/json", utf8(body.replace("m-2", "m-3")),
                "X-Acme-Signature", signature, "X-Acme-Timestamp", ts, "X-Acme-Delivery", "dlv-3").statusCode()).isEqualTo(401);
        assertThat(hub.post("/webhooks/acme", "application/json", utf8(body),
                "X-Acme-Signature", signature, "X-Acme-Timestamp", ts, "X-Acme-Delivery", "dlv-4").statusCode()).isEqualTo(401);
        assertThat(postAcme(body, now, "dlv-3", "another-secret").statusCode()).isEqualTo(401);
        assertThat(hub.post("/webhooks/acme", "application/json", utf8(body), "X-Acme-Timestamp", ts,
                "X-Acme-Delivery", "dlv-3").statusCode()).isEqualTo(401);
        assertThat(hub.post("/webhooks/acme", "application/json", utf8(body), "X-Acme-Signature", signature.substring(3),
                "X-Acme-Timestamp", ts, "X-Acme-Delivery", "dlv-3").statusCode()).isEqualTo(401);
        // stale and future timestamps
        assertThat(postAcme(body, now.minusSeconds(600), "dlv-3", secret).statusCode()).isEqualTo(401);
        assertThat(postAcme(body, now.plusSeconds(600), "dlv-3", secret).statusCode()).isEqualTo(401);
        // authentic but malformed, or without the declared events list: 400; another content type: 415
        assertThat(postAcme("{oops", now, "dlv-3", secret).statusCode()).isEqualTo(400);
        HttpResponse<String> noEvents = postAcme("{\"batch\": 1}", now, "dlv-3", secret);
        assertThat(noEvents.statusCode()).isEqualTo(400);
        assertThat(noEvents.body()).contains("/events");
        assertThat(hub.post("/webhooks/acme", "text/plain", utf8(body), "X-Acme-Signature", signature,
                "X-Acme-Timestamp", ts, "X-Acme-Delivery", "dlv-3").statusCode()).isEqualTo(415);
        assertThat(StoredEvents.since(hub.dataSource(), "acme", since)).isEmpty();
    }

    @Test
    void a_declared_basic_auth_vendor_accepts_its_credentials_only() {
        String body = "{\"event\": \"delivered\", \"rcpt\": \"Dee@Example.com\", \"msg\": \"p-1\", \"when\": \"2025-03-04T05:06:07.089+01:00\"}";
        assertThat(hub.post("/webhooks/plainmail", "application/json", utf8(body), "Authorization", basic("pm", "nope"))
                .statusCode()).isEqualTo(401);
        assertThat(hub.post("/webhooks/plainmail", "application/json", utf8(body)).statusCode()).isEqualTo(401);
        HttpResponse<String> r = hub.post("/webhooks/plainmail", "application/json", utf8(body),
                "Authorization", basic("pm", "pw"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(StoredEvents.since(hub.dataSource(), "plainmail", since))
                .containsExactly("delivered|-|dee@example.com|p-1|2025-03-04T04:06:07.089Z");
    }

    @Test
    void a_declaration_that_cannot_work_stops_start_up_naming_the_parameter() throws IOException {
        Path broken = copyOfRoutes();
        Files.writeString(broken.resolve("webhooks/broken.camel.yaml"), ACME.replace("vendor, value: acme", "vendor, value: broken")
                .replace("webhook-acme", "webhook-broken").replace("bounced/hard", "bounced/permanent"));
        assertThatThrownBy(() -> HubRunner.start(Map.of("hub.routes.dir", broken.toString())).close())
                .hasStackTraceContaining("types: 'bounced/permanent'");
    }

    private HttpResponse<String> postAcme(String body, Instant at, String delivery, String key) {
        String ts = Long.toString(at.getEpochSecond());
        return hub.post("/webhooks/acme", "application/json", utf8(body), "X-Acme-Signature",
                "v1=" + sign(ts + "." + delivery + "." + body, key), "X-Acme-Timestamp", ts, "X-Acme-Delivery", delivery);
    }

    private static String sign(String content, String key) {
        return Base64.getEncoder().encodeToString(Signing.hmac("HmacSHA256", utf8(key), utf8(content)));
    }

    /** The project's routes/ folder copied to a temporary one (hub.routes.dir), as an integrator's deployment holds it. */
    private static Path copyOfRoutes() {
        return RoutesCopy.of();
    }
}
