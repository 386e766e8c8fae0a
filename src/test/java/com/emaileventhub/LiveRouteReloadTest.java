package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.RoutesCopy;
import com.emaileventhub.support.Rows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** hub.routes.reload: saved changes to the local routes folder apply to a running hub, broken ones are refused. */
class LiveRouteReloadTest {
    private static final String SUPPRESSION_RULE = "'bounced,complained,unsubscribed,subscribed'";

    private Path routes;
    private Path fanout;
    private HubRunner hub;

    @BeforeEach
    void start() {
        routes = RoutesCopy.of();
        fanout = routes.resolve("fanout.camel.yaml");
        hub = HubRunner.start(Map.of("hub.routes.dir", routes.toString(), "hub.delivery.poll-interval", "PT1H",
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void an_edited_fanout_rule_routes_the_next_event_by_the_new_rule() throws IOException {
        post("Delivery", "before@example.com");
        assertThat(destinations("before@example.com")).isEmpty();

        // the suppression list now also hears of deliveries
        Files.writeString(fanout, Files.readString(fanout).replace(SUPPRESSION_RULE, "'bounced,complained,unsubscribed,subscribed,delivered'"));
        awaitOutcome("applied", 1);

        post("Delivery", "after@example.com");
        assertThat(destinations("after@example.com")).containsExactly("suppression");
        assertThat(hub.hub().context().getRoute("fanout-rules").getSourceResource().getLocation()).startsWith("file:");
    }

    @Test
    void a_file_that_does_not_parse_is_refused_and_intake_keeps_the_running_rules() throws IOException {
        try (LogCapture log = LogCapture.of(RouteReload.class)) {
            Files.writeString(fanout, Files.readString(fanout).replace("- setProperty:", "- setProperty: [unclosed"));
            awaitOutcome("invalid", 1);

            post("Bounce", "still@example.com");
            assertThat(destinations("still@example.com")).containsExactly("suppression");
            assertThat(log.warnings()).singleElement().asString()
                    .startsWith("routes: refused " + fanout + ": does not parse: ")
                    .endsWith("; the running routes are unchanged")
                    .doesNotContain("\n");
        }
        assertThat(Metrics.value(metrics(), "hub_routes_reload_total{outcome=\"applied\"}")).isZero();
    }

    @Test
    void a_route_that_does_not_start_is_refused_and_the_previous_version_runs_again() throws IOException {
        try (LogCapture log = LogCapture.of(RouteReload.class)) {
            Files.writeString(fanout, Files.readString(fanout).replace(SUPPRESSION_RULE, "'delivered'")
                    + "        - to: \"nosuchcomponent:anywhere\"\n");
            awaitOutcome("failed", 1);

            post("Bounce", "kept@example.com");
            post("Delivery", "kept-delivery@example.com");
            assertThat(destinations("kept@example.com")).containsExactly("suppression");
            assertThat(destinations("kept-delivery@example.com")).isEmpty();
            assertThat(log.warnings()).singleElement().asString().contains("nosuchcomponent")
                    .endsWith("the previous version runs again");
        }
    }

    @Test
    void a_webhook_template_change_needs_a_restart_and_changes_nothing() throws IOException {
        Path postmark = routes.resolve("webhooks/postmark.camel.yaml");
        Files.writeString(postmark, Files.readString(postmark) + "\n# edited\n");
        awaitOutcome("restart_required", 1);
        post("Delivery", "template@example.com");
        assertThat(destinations("template@example.com")).isEmpty();
    }

    private void awaitOutcome(String outcome, int n) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Metrics.value(metrics(), "hub_routes_reload_total{outcome=\"" + outcome + "\"}") == n);
    }

    private String metrics() {
        return hub.get("/observe/metrics").body();
    }

    private void post(String recordType, String recipient) {
        byte[] body = Postmark.record(recordType, "Bounce".equals(recordType) ? "HardBounce" : null,
                "reload-" + UUID.randomUUID(), recipient);
        var r = hub.post("/webhooks/postmark", "application/json", body, "Authorization", Postmark.auth());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<String> destinations(String recipient) {
        return Rows.chosenDestinations(hub.dataSource(), recipient);
    }
}
