package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.intake.Fanout;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.LogCapture;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilesTest {

    @Test
    void a_partial_local_folder_overlays_the_built_in_routes_file_by_file(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("fanout.camel.yaml"), Files.readString(Path.of("routes/fanout.camel.yaml")));
        Files.createDirectories(dir.resolve("webhooks"));
        Files.writeString(dir.resolve("webhooks/acme.camel.yaml"), "- route: {}\n");

        RouteFiles files = RouteFiles.resolve(dir);

        assertThat(files.files()).containsEntry("fanout.camel.yaml", "file:" + dir.resolve("fanout.camel.yaml").toAbsolutePath())
                .containsEntry("webhooks/postmark.camel.yaml", "classpath:routes/webhooks/postmark.camel.yaml")
                .containsEntry("intake-template.camel.yaml", "classpath:routes/intake-template.camel.yaml")
                .containsKey("webhooks/acme.camel.yaml");
        assertThat(files.summary(dir)).contains("replacing [fanout.camel.yaml]").contains("adding [webhooks/acme.camel.yaml]");
    }

    @Test
    void an_empty_local_file_switches_its_built_in_namesake_off(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("webhooks"));
        Files.writeString(dir.resolve("webhooks/mandrill.camel.yaml"), "# not used here\n");

        RouteFiles files = RouteFiles.resolve(dir);

        assertThat(files.files()).doesNotContainKey("webhooks/mandrill.camel.yaml").containsKey("webhooks/mailgun.camel.yaml");
        assertThat(files.summary(dir)).contains("switching off [webhooks/mandrill.camel.yaml]");
    }

    @Test
    void a_missing_local_folder_loads_every_built_in_file(@TempDir Path dir) {
        RouteFiles files = RouteFiles.resolve(dir.resolve("absent"));

        assertThat(files.files().keySet()).contains("api.camel.yaml", "errors.camel.yaml", "webhooks/sendgrid.camel.yaml",
                "destinations/archive.camel.yaml");
        assertThat(files.files().values()).allMatch(v -> v.startsWith("classpath:routes/"));
    }

    @Test
    void a_hub_whose_routes_folder_holds_only_the_fanout_rules_still_serves_every_webhook(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("fanout.camel.yaml"), Files.readString(Path.of("routes/fanout.camel.yaml")));
        Files.createDirectories(dir.resolve("webhooks"));
        Files.writeString(dir.resolve("webhooks/mandrill.camel.yaml"), "");
        try (HubRunner hub = HubRunner.start(Map.of("hub.routes.dir", dir.toString(),
                "hub.esp.postmark.username", "u", "hub.esp.postmark.password", "p"))) {
            HttpResponse<String> postmark = hub.post("/webhooks/postmark", "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8), "Authorization", "Basic bm9ib2R5Om5vdGhpbmc=");
            HttpResponse<String> mandrill = hub.post("/webhooks/mandrill", "application/x-www-form-urlencoded",
                    "mandrill_events=%5B%5D".getBytes(StandardCharsets.UTF_8));

            assertThat(postmark.statusCode()).isEqualTo(401);
            assertThat(mandrill.statusCode()).isEqualTo(404);
            assertThat(hub.hub().context().getRoute("fanout-rules")).isNotNull();
        }
    }

    @Test
    void a_destination_switched_off_by_configuration_has_its_route_file_left_out(@TempDir Path dir) {
        RouteFiles files = RouteFiles.resolve(dir).withoutDisabledDestinations(name -> !name.equals("crm"));

        assertThat(files.files()).doesNotContainKey("destinations/crm.camel.yaml")
                .containsKeys("destinations/archive.camel.yaml", "destinations/analytics.camel.yaml");
        assertThat(files.summary(dir)).contains("destinations switched off by configuration, their routes not loaded: [crm]");
    }

    @Test
    void with_the_crm_off_its_route_and_the_salesforce_component_are_never_created_and_no_rule_is_reported_unknown() {
        try (LogCapture log = LogCapture.of(Fanout.class);
             HubRunner hub = HubRunner.start(Map.of("hub.crm.enabled", "false", "hub.analytics.enabled", "false"))) {
            CamelContext context = hub.hub().context();
            assertThat(context.getRoute("deliver-crm")).isNull();
            assertThat(context.getRoute("deliver-archive")).isNotNull();
            assertThat(context.hasComponent("salesforce")).isNull();
            assertThat(log.warnings()).noneMatch(w -> w.contains("'crm'") || w.contains("'analytics'"));
        }
        try (HubRunner hub = HubRunner.start(Map.of("hub.crm.enabled", "true"))) {
            assertThat(hub.hub().context().getRoute("deliver-crm")).isNotNull();
            assertThat(hub.hub().context().hasComponent("salesforce")).isNotNull();
        }
    }
}
