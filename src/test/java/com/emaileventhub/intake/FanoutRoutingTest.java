package com.emaileventhub.intake;

import java.util.concurrent.TimeUnit;
import com.emaileventhub.support.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.RoutesCopy;
import com.emaileventhub.support.Rows;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Content-based routing in routes/fanout.camel.yaml: the defaults, and an integrator's YAML-only edit. */
class FanoutRoutingTest {
    private static final Map<String, String> POSTMARK = Map.of(
            "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD);

    @Test
    void queues_each_event_for_the_destinations_the_default_rules_select() {
        Map<String, String> config = new HashMap<>(POSTMARK);
        // both remote destinations on, pointed at nothing: what is queued is what this test reads
        config.putAll(Map.of("hub.analytics.enabled", "true", "hub.analytics.url", "http://127.0.0.1:9/import",
                "hub.crm.enabled", "true", "hub.delivery.poll-interval", "PT1H"));
        try (HubRunner hub = HubRunner.start(config)) {
            String m = "fan-" + UUID.randomUUID();
            post(hub, Postmark.record("Delivery", null, m, "a@example.com"));
            post(hub, Postmark.record("Bounce", "HardBounce", m, "b@example.com"));
            post(hub, Postmark.record("Bounce", "Transient", m, "c@example.com"));
            post(hub, Postmark.record("Open", null, m, "d@example.com"));
            post(hub, Postmark.record("SpamComplaint", null, m, "e@example.com"));
            post(hub, Postmark.record("SubscriptionChange", null, m, "f@example.com"));
            post(hub, Postmark.click(m, "g@example.com", "https://example.com/x"));

            assertThat(destinations(hub, "a@example.com")).containsExactly("analytics");
            assertThat(destinations(hub, "b@example.com")).containsExactly("analytics", "crm", "suppression");
            assertThat(destinations(hub, "c@example.com")).containsExactly("analytics");
            assertThat(destinations(hub, "d@example.com")).containsExactly("analytics", "crm", "leads");
            assertThat(destinations(hub, "e@example.com")).containsExactly("analytics", "crm", "leads", "suppression");
            assertThat(destinations(hub, "f@example.com")).containsExactly("analytics", "crm", "leads", "suppression");
            assertThat(destinations(hub, "g@example.com")).containsExactly("analytics", "crm", "leads");
        }
    }

    @Test
    void disabled_destinations_are_not_queued() {
        try (HubRunner hub = HubRunner.start(POSTMARK)) {   // analytics and crm are off by default
            post(hub, Postmark.record("Bounce", "HardBounce", "fan-" + UUID.randomUUID(), "off@example.com"));
            assertThat(destinations(hub, "off@example.com")).containsExactly("suppression");
        }
    }

    @Test
    void an_integrator_routes_pricing_clicks_to_an_extra_endpoint_by_editing_yaml_only() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/pricing-hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        fake.start();
        try {
            Path routes = RoutesCopy.of();
            Path fanout = routes.resolve("fanout.camel.yaml");
            String rules = Files.readString(fanout)
                    // edit 1: the CRM also hears of deliveries
                    .replace("'bounced,complained,unsubscribed,opened,clicked'", "'bounced,complained,unsubscribed,opened,clicked,delivered'");
            rules += String.join("\n",
                    "        # clicks on pricing pages also go to the sales team's endpoint",
                    "        - filter:",
                    "            simple: \"${header.type} == 'clicked' && ${header.url} contains '/pricing'\"",
                    "            steps:",
                    "              - setProperty:",
                    "                  name: dest.pricing",
                    "                  constant: true",
                    "");
            Files.writeString(fanout, rules);
            Files.writeString(routes.resolve("destinations/pricing.camel.yaml"), """
                    - route:
                        id: deliver-pricing
                        routeConfigurationId: delivery-errors
                        from:
                          uri: direct:deliver-pricing
                          steps:
                            - removeHeaders:
                                pattern: "*"
                            - marshal:
                                json:
                                  library: Jackson
                            - setHeader:
                                name: Content-Type
                                constant: application/json
                            - to: "http://127.0.0.1:%d/pricing-hook"
                    """.formatted(fake.getAddress().getPort()));
            Map<String, String> config = new HashMap<>(POSTMARK);
            config.putAll(Map.of("hub.routes.dir", routes.toString(), "hub.crm.enabled", "true",
                    "hub.delivery.poll-interval", "PT0.2S"));
            try (HubRunner hub = HubRunner.start(config)) {
                String m = "fan-" + UUID.randomUUID();
                post(hub, Postmark.click(m, "buyer@example.com", "https://example.com/pricing?plan=pro"));
                post(hub, Postmark.click(m, "reader@example.com", "https://example.com/blog/post"));
                post(hub, Postmark.record("Delivery", null, m, "buyer@example.com"));

                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 1);
                assertThat(destinations(hub, "reader@example.com")).doesNotContain("pricing");
                assertThat(Rows.strings(hub.dataSource(), "SELECT d.destination FROM hub_delivery d JOIN hub_event e ON e.id = d.event_id "
                        + "WHERE e.recipient = ? AND e.type = 'delivered'", "buyer@example.com")).contains("crm");
                await().atMost(Duration.ofSeconds(10)).until(() -> Rows.count(hub.dataSource(),
                        "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'pricing' AND status = 'delivered'") == 1);
                assertThat(received).hasSize(1);
                assertThat(received.get(0)).contains("https://example.com/pricing?plan=pro").contains("buyer@example.com")
                        .doesNotContain("reader@example.com");
            }
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void a_rule_naming_a_destination_without_a_route_is_counted_and_queues_nothing() throws IOException {
        Path routes = RoutesCopy.of();
        Path rules = routes.resolve("fanout.camel.yaml");
        Files.writeString(rules, Files.readString(rules).replace("name: dest.suppression", "name: dest.supression"));
        Map<String, String> config = new HashMap<>(POSTMARK);
        config.put("hub.routes.dir", routes.toString());
        try (HubRunner hub = HubRunner.start(config)) {
            post(hub, Postmark.record("Bounce", "HardBounce", "fan-" + UUID.randomUUID(), "typo1@example.com"));
            post(hub, Postmark.record("SpamComplaint", null, "fan-" + UUID.randomUUID(), "typo2@example.com"));

            assertThat(destinations(hub, "typo1@example.com")).isEmpty();
            assertThat(hub.get("/observe/metrics").body())
                    .contains("hub_fanout_unknown_destination_total{destination=\"supression\"} 2.0");
        }
    }

    @Test
    void every_event_goes_to_the_archive_and_the_insight_figures_by_the_journal_whatever_the_rules_say()
            throws IOException {
        Path routes = RoutesCopy.of();
        Path rules = routes.resolve("fanout.camel.yaml");
        // a rules file written when both were outbox destinations still names them: no outbox row, no warning
        String original = Files.readString(rules);
        String edited = original.replace("""
                        - setProperty:
                            name: dest.analytics
                """, """
                        - setProperty:
                            name: dest.insight
                            constant: true
                        - setProperty:
                            name: dest.archive
                            constant: true
                        - setProperty:
                            name: dest.analytics
                """);
        assertThat(edited).isNotEqualTo(original);
        Files.writeString(rules, edited);
        Map<String, String> config = new HashMap<>(POSTMARK);
        config.put("hub.routes.dir", routes.toString());
        try (HubRunner hub = HubRunner.start(config)) {
            post(hub, Postmark.record("Delivery", null, "fan-" + UUID.randomUUID(), "kept@example.com"));
            assertThat(destinations(hub, "kept@example.com")).isEmpty();
            await().atMost(20, TimeUnit.SECONDS).until(() -> Figures.counted(hub.hub().database()));
            assertThat(Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM insight_send WHERE recipient = 'kept@example.com'"))
                    .isEqualTo(1);
            await().atMost(20, TimeUnit.SECONDS).until(() -> Rows.count(hub.dataSource(),
                    "SELECT COUNT(*) FROM hub_archive WHERE recipient = 'kept@example.com'") == 1);
            assertThat(hub.get("/observe/metrics").body())
                    .doesNotContain("hub_fanout_unknown_destination_total{destination=\"insight\"}")
                    .doesNotContain("hub_fanout_unknown_destination_total{destination=\"archive\"}");
        }
    }

    private static void post(HubRunner hub, byte[] body) {
        var r = hub.post("/webhooks/postmark", "application/json", body, "Authorization", Postmark.auth());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static List<String> destinations(HubRunner hub, String recipient) {
        return Rows.chosenDestinations(hub.dataSource(), recipient);
    }
}
