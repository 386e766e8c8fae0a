package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Form-posting vendors (Mandrill) read the raw body themselves (the server's body handler would
 * decode the form): the size limit must hold there too, with or without a Content-Length.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormBodyLimitTest {
    private static final int LIMIT = 64 * 1024;
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of("hub.http.max-body-bytes", Integer.toString(LIMIT),
                "hub.esp.mandrill.webhook-key", "k", "hub.esp.mandrill.webhook-url", "https://hub.example.com/webhooks/mandrill"));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void answers_413_to_a_form_over_the_limit_with_content_length() {
        HttpResponse<String> r = hub.post("/webhooks/mandrill", "application/x-www-form-urlencoded", form(LIMIT + 1000));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void answers_413_to_a_chunked_form_over_the_limit() {
        byte[] body = form(4 * LIMIT);
        HttpResponse<String> r = HubRunner.send(HttpRequest.newBuilder(hub.uri("/webhooks/mandrill"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void a_form_under_the_limit_reaches_the_signature_check() {
        HttpResponse<String> r = hub.post("/webhooks/mandrill", "application/x-www-form-urlencoded", form(LIMIT - 1000));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("X-Mandrill-Signature");
    }

    private static byte[] form(int size) {
        String prefix = "mandrill_events=%5B%5D&padding=";
        return (prefix + "x".repeat(size - prefix.length())).getBytes(StandardCharsets.UTF_8);
    }
}
