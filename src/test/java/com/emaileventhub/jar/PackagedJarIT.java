package com.emaileventhub.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.JarProcess;
import com.emaileventhub.support.Postmark;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (java -jar target/email-event-hub.jar), run from a folder with no routes/ and no
 * application.properties, as an operator runs it: catches what a fat jar loses (service files,
 * type converters, the bundled routes).
 */
class PackagedJarIT {

    /**
     * The README's start command maps the archive the build trained: the hub's own classes and Camel's come from it,
     * already parsed and verified (the start-up budget of docs/benchmarks.md depends on it).
     */
    @Test
    void the_readme_start_loads_the_hub_from_the_trained_class_data_archive() throws Exception {
        assertThat(JarProcess.ARCHIVE).exists();
        Path work = JarProcess.workDir("cds");
        Path classes = work.resolve("class-load.txt");
        try (JarProcess hub = JarProcess.start(work, Map.of(), List.of("-Xlog:class+load=info:file=" + classes))
                .awaitHealthy()) {
            List<String> lines = Files.readAllLines(classes);
            assertThat(lines).anySatisfy(l -> assertThat(l).contains(" com.emaileventhub.Hub ")
                    .contains("source: shared objects file (top)"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains(" org.apache.camel.main.Main ")
                    .contains("source: shared objects file (top)"));
            assertThat(hub.log()).doesNotContain("shared archive").doesNotContain("[cds]");
        }
    }

    @Test
    void serves_signed_webhooks_the_query_api_health_and_metrics_from_the_jar_alone() throws Exception {
        KeyPair key = ec();
        Path work = JarProcess.workDir("smoke");
        Map<String, String> env = Map.of(
                "HUB_ADMIN_TOKEN", HubRunner.ADMIN_TOKEN,
                "HUB_ESP_POSTMARK_USERNAME", Postmark.USER, "HUB_ESP_POSTMARK_PASSWORD", Postmark.PASSWORD,
                "HUB_ESP_SENDGRID_PUBLIC_KEY", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        try (JarProcess hub = JarProcess.start(work, env, List.of()).awaitHealthy()) {
            String messageId = "jar-" + UUID.randomUUID();
            assertThat(post(hub, "/webhooks/postmark", Postmark.delivery(messageId, "Jar@Example.com"), "Authorization", Postmark.auth()).body())
                    .isEqualTo("{\"accepted\":1,\"duplicates\":0}");
            assertThat(post(hub, "/webhooks/postmark", Postmark.delivery(messageId, "Jar@Example.com"), "Authorization", Postmark.auth()).body())
                    .isEqualTo("{\"accepted\":0,\"duplicates\":1}");

            String body = "[{\"email\":\"jar@example.com\",\"timestamp\":1700000000,\"event\":\"open\",\"sg_message_id\":\""
                    + messageId + "\",\"sg_event_id\":\"e1\",\"useragent\":\"Mozilla/5.0\",\"ip\":\"203.0.113.9\"}]\r\n";
            Instant at = Instant.now();
            HttpResponse<String> sg = post(hub, "/webhooks/sendgrid", body.getBytes(StandardCharsets.UTF_8),
                    "X-Twilio-Email-Event-Webhook-Signature", sign(key, at, body),
                    "X-Twilio-Email-Event-Webhook-Timestamp", Long.toString(at.getEpochSecond()));
            assertThat(sg.statusCode()).as(sg.body()).isEqualTo(200);
            assertThat(post(hub, "/webhooks/sendgrid", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(401);
            assertThat(post(hub, "/webhooks/nope", "[]".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(404);

            HttpResponse<String> timeline = get(hub, "/api/messages/" + messageId + "/events", "Authorization", "Bearer " + HubRunner.ADMIN_TOKEN);
            assertThat(timeline.statusCode()).isEqualTo(200);
            assertThat(timeline.body()).contains("\"type\":\"opened\"").contains("\"type\":\"delivered\"")
                    .contains("\"recipient\":\"jar@example.com\"");
            assertThat(get(hub, "/api/events?limit=1").statusCode()).isEqualTo(401);
            HttpResponse<String> openApi = get(hub, "/api/openapi.json");
            assertThat(openApi.statusCode()).as(openApi.body()).isEqualTo(200);
            // the REST DSL part, and what the jar's openapi/hub.json and the webhook routes add
            assertThat(openApi.body()).startsWith("{\"openapi\":\"3.1.0\"").contains("\"title\":\"Email Event Hub HTTP API\"")
                    .contains("\"/api/suppressions/{email}/audit\"").contains("\"/observe/health/ready\"")
                    .contains("\"/webhooks/postmark\"").contains("\"webhook-postmark-basic\"");

            HttpResponse<String> health = get(hub, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP");
            String metrics = get(hub, "/observe/metrics").body();
            assertThat(metrics).contains("hub_webhooks_total{outcome=\"accepted\",reason=\"none\",vendor=\"postmark\"}")
                    .contains("hub_events_total{esp=\"sendgrid\",type=\"opened\"}")
                    .contains("hub_webhook_latency_seconds");
            assertThat(hub.log()).doesNotContain(Postmark.PASSWORD).doesNotContain(HubRunner.ADMIN_TOKEN);
        }
    }

    @Test
    void the_class_data_sharing_archive_the_build_wrote_is_taken_by_the_jar() throws Exception {
        Path work = JarProcess.workDir("cds");
        Path archive = JarProcess.JAR.resolveSibling("email-event-hub.jsa");
        assertThat(archive).as("written by the build (exec-maven-plugin, HubApp --cds-training)").exists();
        Path loaded = work.resolve("class-load.log");
        // -Xshare:on: a JVM that cannot map the archive refuses to start instead of starting without it
        try (JarProcess hub = JarProcess.start(work, Map.of(), List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info:file=" + loaded)).awaitHealthy()) {
            assertThat(get(hub, "/observe/health").statusCode()).isEqualTo(200);
        }
        assertThat(Files.readAllLines(loaded)).as("the hub's own classes come from the archive, not the jar")
                .anyMatch(l -> l.contains("com.emaileventhub.Hub source: shared objects file"))
                .anyMatch(l -> l.contains("org.apache.camel.main.Main source: shared objects file"));
    }

    @Test
    void an_invalid_value_stops_start_up_naming_the_key_but_not_the_value() throws Exception {
        Path work = JarProcess.workDir("invalid");
        try (JarProcess hub = JarProcess.start(work, Map.of("HUB_DB_POOL_SIZE", "lots-of-s3cret"), List.of())) {
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(hub.log()).contains("hub.db.pool-size").doesNotContain("lots-of-s3cret");
        }
    }

    @Test
    void a_system_property_wins_over_the_environment_which_wins_over_the_working_directory_file() throws Exception {
        Path work = JarProcess.workDir("precedence");
        Files.createDirectories(work);
        Files.writeString(work.resolve("application.properties"),
                "hub.esp.postmark.username = " + Postmark.USER + "\nhub.esp.postmark.password = from-file\n");
        Map<String, String> env = Map.of("HUB_ESP_POSTMARK_PASSWORD", "from-env");
        try (JarProcess hub = JarProcess.start(work, env, List.of("-Dhub.esp.postmark.password=from-sysprop")).awaitHealthy()) {
            byte[] body = Postmark.delivery("prec-" + UUID.randomUUID(), "p@example.com");
            assertThat(post(hub, "/webhooks/postmark", body, "Authorization", Postmark.auth(Postmark.USER, "from-sysprop")).statusCode()).isEqualTo(200);
            assertThat(post(hub, "/webhooks/postmark", body, "Authorization", Postmark.auth(Postmark.USER, "from-env")).statusCode()).isEqualTo(401);
            assertThat(post(hub, "/webhooks/postmark", body, "Authorization", Postmark.auth(Postmark.USER, "from-file")).statusCode()).isEqualTo(401);
        }
        try (JarProcess hub = JarProcess.start(work, env, List.of()).awaitHealthy()) {
            byte[] body = Postmark.delivery("prec-" + UUID.randomUUID(), "p@example.com");
            assertThat(post(hub, "/webhooks/postmark", body, "Authorization", Postmark.auth(Postmark.USER, "from-env")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void routes_in_the_working_directory_overlay_the_bundled_ones_file_by_file() throws Exception {
        Path work = JarProcess.workDir("routes");
        Path routes = work.resolve("routes/webhooks");
        Files.createDirectories(routes);
        // an integrator replaces the Postmark route (another route id), switches SendGrid off, and keeps the rest
        Files.writeString(routes.resolve("postmark.camel.yaml"), Files.readString(Path.of("routes/webhooks/postmark.camel.yaml"))
                .replace("routeId: webhook-postmark", "routeId: webhook-postmark-local"));
        Files.writeString(routes.resolve("sendgrid.camel.yaml"), "# SendGrid is not used here\n");
        Map<String, String> env = Map.of("HUB_ESP_POSTMARK_USERNAME", Postmark.USER, "HUB_ESP_POSTMARK_PASSWORD", Postmark.PASSWORD);
        try (JarProcess hub = JarProcess.start(work, env, List.of()).awaitHealthy()) {
            assertThat(post(hub, "/webhooks/postmark", Postmark.delivery("r-" + UUID.randomUUID(), "r@example.com"),
                    "Authorization", Postmark.auth()).statusCode()).isEqualTo(200);
            assertThat(post(hub, "/webhooks/sendgrid", "[]".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(404);
            assertThat(post(hub, "/webhooks/mailgun", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .as("a built-in route the folder does not mention stays").isEqualTo(401);
            assertThat(hub.log()).contains("replacing [webhooks/postmark.camel.yaml]")
                    .contains("switching off [webhooks/sendgrid.camel.yaml]");
        }
    }

    private static HttpResponse<String> post(JarProcess hub, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HubRunner.send(b.build());
    }

    private static HttpResponse<String> get(JarProcess hub, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri(path)).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HubRunner.send(b.build());
    }

    private static String sign(KeyPair key, Instant at, String body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(Long.toString(at.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        s.update(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
