package com.emaileventhub.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.TcpProxy;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three probes over real HTTP: /observe/health/live (the process works), /observe/health/ready (it can
 * take webhooks: database reachable, not shedding load) and /observe/health (the full report, destinations
 * included), each with a real fault: a CRM that cannot be reached, a database cut by a proxy (load shedding:
 * LoadSheddingTest).
 */
class HealthProbesTest {
    private static final String LIVE = "/observe/health/live";
    private static final String READY = "/observe/health/ready";
    private static final String FULL = "/observe/health";

    @Test
    void a_healthy_hub_is_up_on_all_three_probes() {
        try (HubRunner hub = HubRunner.start(Map.of())) {
            for (String probe : new String[] {LIVE, READY, FULL}) {
                HttpResponse<String> r = hub.get(probe);
                assertThat(r.statusCode()).as(probe + ": " + r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
                assertThat(json(r).get("status").asText()).isEqualTo("UP");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void a_crm_that_cannot_be_reached_turns_the_full_report_down_but_leaves_intake_ready_and_live(String database)
            throws Exception {
        Map<String, String> config = new HashMap<>(postmark());
        String url = "h2".equals(database) ? TestDatabases.h2() : TestDatabases.postgres();
        config.put("hub.db.url", url);
        config.put("hub.db.username", "h2".equals(database) ? "sa" : TestDatabases.PG_USER);
        config.put("hub.crm.enabled", "true");
        config.put("camel.component.salesforce.loginUrl", "http://127.0.0.1:" + deadPort());
        config.put("camel.component.salesforce.authenticationType", "CLIENT_CREDENTIALS");
        config.put("camel.component.salesforce.clientId", "probe-client");
        config.put("camel.component.salesforce.clientSecret", "probe-secret");
        config.put("hub.delivery.stalled-after", "PT1S");
        config.put("hub.delivery.gauge-interval", "PT1S");
        try (HubRunner hub = HubRunner.start(config)) {
            HttpResponse<String> bounce = hub.post("/webhooks/postmark", "application/json",
                    Postmark.record("Bounce", "HardBounce", "probe-1", "probe@example.com"), "Authorization", Postmark.auth());
            assertThat(bounce.statusCode()).as(bounce.body()).isEqualTo(200);

            // other destinations may be reported stalled for a moment on a busy machine: wait for the CRM itself
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode c = check(json(hub.get(FULL)), "destination-crm");
                return c != null && "DOWN".equals(c.get("status").asText());
            });
            HttpResponse<String> fullAnswer = hub.get(FULL);
            assertThat(fullAnswer.statusCode()).isEqualTo(503);
            JsonNode full = json(fullAnswer);
            assertThat(full.get("status").asText()).isEqualTo("DOWN");
            JsonNode crm = check(full, "destination-crm");
            assertThat(crm.get("status").asText()).isEqualTo("DOWN");
            assertThat(crm.get("message").asText()).startsWith("crm is stalled: oldest event waiting");

            for (String probe : new String[] {READY, LIVE}) {
                HttpResponse<String> r = hub.get(probe + "?exposureLevel=full");
                assertThat(r.statusCode()).as(probe + ": " + r.body()).isEqualTo(200);
                assertThat(json(r).get("status").asText()).isEqualTo("UP");
                assertThat(check(json(r), "destination-crm")).as(probe).isNull();
            }
            // intake still takes webhooks: the events wait in the CRM's queue
            assertThat(hub.post("/webhooks/postmark", "application/json", Postmark.delivery("probe-2", "probe@example.com"),
                    "Authorization", Postmark.auth()).statusCode()).isEqualTo(200);
        } finally {
            TestDatabases.drop(url);
        }
    }

    @Test
    void an_unreachable_database_turns_readiness_down_but_not_liveness_and_both_recover() throws Exception {
        String schemaUrl = TestDatabases.postgres();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String viaProxy = schemaUrl.replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            Map<String, String> config = new HashMap<>(postmark());
            config.put("hub.db.url", viaProxy);
            config.put("hub.db.username", TestDatabases.PG_USER);
            config.put("hub.db.connection-timeout", "PT1S");
            try (HubRunner hub = HubRunner.start(config)) {
                assertThat(hub.get(READY).statusCode()).isEqualTo(200);

                proxy.cut();
                HttpResponse<String> ready = hub.get(READY);
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
                JsonNode db = check(json(ready), "database");
                assertThat(db.get("status").asText()).isEqualTo("DOWN");
                assertThat(db.get("message").asText()).startsWith("database unreachable");
                HttpResponse<String> live = hub.get(LIVE + "?exposureLevel=full");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                assertThat(check(json(live), "database")).isNull();
                assertThat(hub.get(FULL).statusCode()).isEqualTo(503);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> hub.get(READY).statusCode() == 200);
                assertThat(json(hub.get(READY)).get("status").asText()).isEqualTo("UP");
            }
        } finally {
            TestDatabases.drop(schemaUrl);
        }
    }

    private static Map<String, String> postmark() {
        return Map.of("hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The named check in a health answer, or null when the answer does not list it. */
    private static JsonNode check(JsonNode health, String name) {
        JsonNode checks = health.get("checks");
        if (checks != null) {
            for (JsonNode c : checks) {
                if (name.equals(c.get("name").asText())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** A loopback port nothing listens on. */
    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
