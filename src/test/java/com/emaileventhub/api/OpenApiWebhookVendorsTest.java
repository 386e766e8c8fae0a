package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.Hub;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.RoutesCopy;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook paths of the OpenAPI document follow the vendor routes the hub runs: a vendor declared in YAML alone
 * shows up with the headers its declaration signs with, a vendor switched off (hub.esp.VENDOR.enabled=false) is
 * left out; the start-up summary names the keys of the same contracts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiWebhookVendorsTest {
    private HubRunner hub;
    private JsonNode document;
    private List<String> warnings;

    @BeforeAll
    void start() throws Exception {
        Path routes = RoutesCopy.of();
        // HMAC-SHA256 over the timestamp header and the body, JSON or text posts
        RoutesCopy.declareVendor(routes, "tallymail", "verification", "hmac-sha256", "signatureHeader", "X-Tally-Signature",
                "timestampHeader", "X-Tally-Timestamp", "signedContent", "{timestamp}.{body}",
                "contentType", "application/json, text/plain", "type", "/event", "types", "delivered:delivered", "recipient", "/to");
        // a bearer token, left unset
        RoutesCopy.declareVendor(routes, "tokenmail", "verification", "bearer", "type", "/event", "types", "delivered:delivered",
                "recipient", "/to");
        try (LogCapture log = LogCapture.of(Hub.class)) {
            hub = HubRunner.start(Map.of("hub.routes.dir", routes.toString(), "hub.esp.tallymail.secret", "tally-secret",
                    "hub.esp.mailgun.enabled", "false"));
            warnings = log.warnings();
        }
        document = Json.MAPPER.readTree(hub.get("/api/openapi.json").body());
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void a_vendor_declared_in_yaml_is_documented_with_its_signature_headers_and_media_types() {
        JsonNode post = document.at("/paths/~1webhooks~1tallymail/post");
        assertThat(post.get("operationId").asText()).isEqualTo("webhook-tallymail");
        assertThat(post.at("/security").toString()).isEqualTo(
                "[{\"webhook-tallymail-x-tally-signature\":[],\"webhook-tallymail-x-tally-timestamp\":[]}]");
        assertThat(document.at("/components/securitySchemes/webhook-tallymail-x-tally-signature").toString()).isEqualTo(
                "{\"type\":\"apiKey\",\"in\":\"header\",\"name\":\"X-Tally-Signature\",\"description\":\"tallymail: "
                        + "HMAC-SHA256 (hex) of {timestamp}.{body} in header X-Tally-Signature (declared in YAML)\"}");
        assertThat(post.at("/requestBody/content").fieldNames()).toIterable().containsExactly("application/json", "text/plain");
        assertThat(post.get("description").asText()).contains("hub.esp.tallymail.secret");
        // only the methods the declared template serves
        assertThat(document.at("/paths/~1webhooks~1tallymail").fieldNames()).toIterable().containsExactly("post");
        assertThat(document.at("/paths/~1webhooks~1tokenmail/post/security").toString()).isEqualTo("[{\"webhook-tokenmail-bearer\":[]}]");

        HttpResponse<String> unsigned = hub.post("/webhooks/tallymail", "application/json",
                "{\"event\":\"delivered\",\"to\":\"a@example.com\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).isEqualTo("{\"error\":\"X-Tally-Signature header is missing\"}");
    }

    @Test
    void a_vendor_switched_off_is_left_out_as_its_route_answers_404() {
        assertThat(document.at("/paths").has("/webhooks/mailgun")).isFalse();
        assertThat(document.at("/components/securitySchemes").fieldNames()).toIterable()
                .noneMatch(name -> name.startsWith("webhook-mailgun"));
        assertThat(document.at("/paths").has("/webhooks/sendgrid")).isTrue();
        assertThat(hub.post("/webhooks/mailgun", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(404);
    }

    @Test
    void the_start_up_summary_names_the_keys_of_the_same_contracts() {
        String summary = warnings.stream().filter(w -> w.startsWith("webhooks ready")).findFirst().orElseThrow();
        assertThat(summary).contains("tallymail").contains("tokenmail (hub.esp.tokenmail.token)")
                .contains("sendgrid (hub.esp.sendgrid.public-key)").doesNotContain("mailgun")
                .doesNotContain("tallymail (");
    }
}
