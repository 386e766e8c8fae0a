package com.emaileventhub.esp.sparkpost;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /webhooks/sparkpost over real HTTP: basic auth set on the webhook, batches of msys wrappers, pings. */
class SparkPostHttpTest extends VendorHttpTestSupport {
    private final String username = "sp-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();

    @Override
    protected String vendor() {
        return "sparkpost";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.sparkpost.username", username, "hub.esp.sparkpost.password", password);
    }

    @Test
    void stores_every_event_of_a_batch_once() {
        String batch = SparkPostWebhookTest.BATCH;
        HttpResponse<String> r = post(batch, basic(username, password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":21,\"duplicates\":0}");
        assertThat(stored()).containsExactlyInAnyOrder(
                "queued|-|recipient@example.com|65832150921904138|2016-02-02T19:50:00.000Z",
                "delivered|-|recipient@example.com|65832150921904138|2016-02-02T19:50:10.000Z",
                "bounced|hard|oob@example.com|65832150921904138|2016-02-02T19:50:20.000Z",
                "rejected|-|policy@example.com|65832150921904138|2016-02-02T19:50:30.000Z",
                "opened|-|recipient@example.com|65832150921904138|2016-02-02T19:50:40.000Z",
                "opened|-|recipient@example.com|65832150921904138|2016-02-02T19:50:41.000Z",
                "opened|-|recipient@example.com|65832150921904138|2016-02-02T19:50:42.000Z",
                "clicked|-|recipient@example.com|65832150921904138|2016-02-02T19:50:50.000Z",
                "clicked|-|recipient@example.com|65832150921904138|2016-02-02T19:50:51.000Z",
                "complained|-|recipient@example.com|65832150921904138|2016-02-02T19:51:00.000Z",
                "unknown|-|-|-|2016-02-02T19:51:10.000Z",
                "unknown|-|inbound@relay.example.com|-|2016-02-02T19:51:20.000Z",
                "unknown|-|-|-|2016-02-02T19:51:30.000Z",
                "bounced|hard|bounce@example.com|84345317650824116|2016-06-01T23:42:28.000Z",
                "bounced|soft|full@example.com|84345317650824116|2016-06-01T23:42:29.000Z",
                "autoresponded|-|vacationing@example.com|84345317650824116|2016-06-01T23:42:30.000Z",
                "deferred|-|recipient@nomx.example.com|84345317650824116|2016-06-02T00:02:28.000Z",
                "unsubscribed|-|recipient@example.com|84345993965073285|2016-06-02T19:04:40.000Z",
                "unsubscribed|-|recipient@example.com|84345993965073285|2016-06-02T19:04:50.000Z",
                "rejected|-|suppressed@example.com|102360394387646691|2016-06-02T20:40:34.000Z",
                "failed|-|recipient@example.com|139013368081177607|2018-10-11T23:24:45.000Z");
        List<JsonNode> events = storedEvents();
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("clicked")).extracting(e -> e.get("url").asText())
                .containsExactlyInAnyOrder("http://example.com/a%20b?utm=1&x=%7E", "http://example.com/amp");
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("queued")).singleElement().satisfies(e -> {
            assertThat(e.get("esp_event_id").asText()).isEqualTo("92356927693813856");
            assertThat(e.get("tags").toString()).isEqualTo("[\"male\",\"US\"]");
            assertThat(e.get("metadata").get("customKey").asText()).isEqualTo("customValue");
        });

        HttpResponse<String> retried = post(batch, basic(username, password));
        assertThat(retried.body()).isEqualTo("{\"accepted\":0,\"duplicates\":21}");
    }

    @Test
    void acknowledges_the_ping_and_an_empty_batch_with_no_events_and_refuses_an_empty_body_with_400() {
        for (String ping : List.of("[{\"msys\":{}}]", "[]")) {
            HttpResponse<String> r = post(ping, basic(username, password));
            assertThat(r.statusCode()).as(ping).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
        }
        HttpResponse<String> empty = post("", basic(username, password));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).isEqualTo("{\"error\":\"body is empty; expected JSON\"}");
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_wrong_credentials_with_401() {
        assertThat(post(SparkPostWebhookTest.BATCH, basic(username, "wrong")).statusCode()).isEqualTo(401);
        assertThat(post(SparkPostWebhookTest.BATCH, "Bearer " + password).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_missing_credentials_with_401_even_when_the_body_is_malformed() {
        assertThat(hub.post("/webhooks/sparkpost", "application/json", utf8("[{")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_malformed_or_misshapen_bodies_and_415_to_another_content_type() {
        assertThat(post("[{", basic(username, password)).statusCode()).isEqualTo(400);
        HttpResponse<String> notWrapped = post("[{\"type\":\"delivery\"}]", basic(username, password));
        assertThat(notWrapped.statusCode()).isEqualTo(400);
        assertThat(notWrapped.body()).contains("$[0].msys");
        HttpResponse<String> text = hub.post("/webhooks/sparkpost", "text/plain", utf8(SparkPostWebhookTest.BATCH),
                "Authorization", basic(username, password));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private HttpResponse<String> post(String body, String authorization) {
        return hub.post("/webhooks/sparkpost", "application/json", utf8(body), "Authorization", authorization,
                "X-MessageSystems-Batch-ID", UUID.randomUUID().toString());
    }

}
