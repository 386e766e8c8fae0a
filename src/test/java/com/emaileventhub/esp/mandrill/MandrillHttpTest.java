package com.emaileventhub.esp.mandrill;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Signing;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /webhooks/mandrill over real HTTP: the raw form bytes, signed as Mandrill signs (base64 HMAC-SHA1 of
 * the registered URL + sorted fields) with a fresh key; the HEAD check Mandrill makes before saving a webhook.
 */
class MandrillHttpTest extends VendorHttpTestSupport {
    private static final String URL = "https://hooks:s3cret@hub.example.com/webhooks/mandrill";
    private final String key = freshKey();

    @Override
    protected String vendor() {
        return "mandrill";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.mandrill.webhook-key", key, "hub.esp.mandrill.webhook-url", URL);
    }

    @Test
    void answers_the_head_check_with_200() {
        HttpResponse<String> r = HubRunner.send(HttpRequest.newBuilder(hub.uri("/webhooks/mandrill"))
                .timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(stored()).isEmpty();
    }

    @Test
    void stores_a_batch_of_every_event_type() {
        String events = MandrillWebhookTest.EVENTS;
        HttpResponse<String> r = post(form("mandrill_events", events), sign(key, URL, "mandrill_events", events));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":12,\"duplicates\":0}");
        assertThat(stored()).containsExactly(
                "sent|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa|2024-02-28T18:55:21.000Z",
                "deferred|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa1|2024-02-28T18:55:22.000Z",
                "bounced|hard|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa2|2024-02-28T18:55:23.000Z",
                "bounced|soft|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa3|2024-02-28T18:55:24.000Z",
                "opened|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa4|2024-02-28T18:55:25.000Z",
                "clicked|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa5|2024-02-28T18:55:26.000Z",
                "complained|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa6|2024-02-28T18:55:27.000Z",
                "unsubscribed|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa7|2024-02-28T18:55:28.000Z",
                "rejected|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa8|2024-02-28T18:55:29.000Z",
                "delivered|-|example.webhook@mandrillapp.com|exampleaaaaaaaaaaaaaaaaaaaaaaaaa9|2024-02-28T18:55:30.000Z",
                // allow/deny-list sync events: no message, kept as unknown
                "unknown|-|denied@mandrillapp.com|-|2024-02-28T18:55:31.000Z",
                "unknown|-|allowed@mandrillapp.com|-|2024-02-28T18:55:32.000Z");
        List<JsonNode> stored = storedEvents();
        assertThat(stored).filteredOn(e -> e.get("type").asText().equals("clicked")).singleElement()
                .satisfies(e -> assertThat(e.get("url").asText()).isEqualTo("http://mandrill.com/?a=1&b=%20"));
        HttpResponse<String> again = post(form("mandrill_events", events), sign(key, URL, "mandrill_events", events));
        assertThat(again.body()).isEqualTo("{\"accepted\":0,\"duplicates\":12}");
    }

    @Test
    void rejects_a_tampered_body_another_key_or_url_and_a_missing_signature_with_401() {
        String events = MandrillWebhookTest.EVENTS;
        String signature = sign(key, URL, "mandrill_events", events);
        assertThat(post(form("mandrill_events", events.replace("example.webhook@", "attacker@")), signature).statusCode())
                .isEqualTo(401);
        assertThat(post(form("mandrill_events", events), sign(freshKey(), URL, "mandrill_events", events)).statusCode())
                .isEqualTo(401);
        assertThat(post(form("mandrill_events", events),
                sign(key, "https://hub.example.com/webhooks/mandrill", "mandrill_events", events)).statusCode())
                .isEqualTo(401);
        assertThat(hub.post("/webhooks/mandrill", "application/x-www-form-urlencoded",
                utf8(form("mandrill_events", events))).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_a_signed_form_without_events_or_with_malformed_events() {
        HttpResponse<String> missing = post(form("other", "[]"), sign(key, URL, "other", "[]"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("mandrill_events");
        assertThat(post(form("mandrill_events", "[{"), sign(key, URL, "mandrill_events", "[{")).statusCode())
                .isEqualTo(400);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_415_to_a_signed_body_of_another_content_type() {
        String events = MandrillWebhookTest.EVENTS;
        HttpResponse<String> r = hub.post("/webhooks/mandrill", "text/plain", utf8(form("mandrill_events", events)),
                "X-Mandrill-Signature", sign(key, URL, "mandrill_events", events));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    @Test
    void acknowledges_an_empty_batch_with_no_events() {
        HttpResponse<String> r = post(form("mandrill_events", "[]"), sign(key, URL, "mandrill_events", "[]"));
        assertThat(r.body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
    }

    private HttpResponse<String> post(String form, String signature) {
        return hub.post("/webhooks/mandrill", "application/x-www-form-urlencoded", utf8(form),
                "X-Mandrill-Signature", signature);
    }


    private static String form(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Mandrill's documented algorithm (one field), written out independently of the verifier. */
    private static String sign(String signingKey, String url, String name, String value) {
        return Base64.getEncoder().encodeToString(Signing.hmac("HmacSHA1", utf8(signingKey), utf8(url + name + value)));
    }

    private static String freshKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
