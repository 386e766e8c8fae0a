package com.emaileventhub.esp.brevo;

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

/** POST /webhooks/brevo over real HTTP: basic auth in the URL or a bearer token; single events and batches. */
class BrevoHttpTest extends VendorHttpTestSupport {
    private final String username = "brevo-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();
    private final String token = UUID.randomUUID().toString();

    @Override
    protected String vendor() {
        return "brevo";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.brevo.username", username, "hub.esp.brevo.password", password,
                "hub.esp.brevo.token", token);
    }

    @Test
    void stores_a_batch_of_every_event_type_with_basic_auth() {
        HttpResponse<String> r = post(BrevoWebhookTest.BATCH, basic(username, password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":17,\"duplicates\":0}");
        List<JsonNode> events = storedEvents();
        // the proxy_open sample carries no usable time (s_epoch is a typo of Brevo's docs): received_at stands in
        assertThat(events).filteredOn(e -> e.get("raw").get("event").asText().equals("proxy_open")).singleElement()
                .satisfies(e -> assertThat(e.get("occurred_at")).isEqualTo(e.get("received_at")));
        assertThat(stored()).filteredOn(s -> s.startsWith("opened|-|example@domain.com|201798300811")).hasSize(1);
        assertThat(stored()).filteredOn(s -> !s.startsWith("opened|-|example@domain.com|201798300811"))
                .containsExactlyInAnyOrder(
                "bounced|hard|not-a-user@example.com|<201803011158.9876543210@smtp-relay.mailin.fr>|2018-03-06T19:10:23.000Z",
                "bounced|soft|recipient@no-mx.example.com|<201803011158.9876543210@smtp-relay.mailin.fr>|2018-03-06T19:10:24.000Z",
                "bounced|hard|nobody@invalid|<1@smtp-relay.mailin.fr>|2018-03-06T19:10:25.000Z",
                "rejected|-|recipient@example.com|<2@smtp-relay.mailin.fr>|2018-03-06T19:10:26.000Z",
                "deferred|-|notauser@example.com|<3@smtp-relay.mailin.fr>|2018-03-06T19:10:27.000Z",
                "opened|-|recipient@example.com|<4@smtp-relay.mailin.fr>|2018-03-06T19:10:28.000Z",
                "opened|-|recipient@example.com|<4@smtp-relay.mailin.fr>|2018-03-06T19:10:29.000Z",
                "complained|-|recipient@example.com|<6@smtp-relay.mailin.fr>|2018-03-06T19:10:30.000Z",
                "unsubscribed|-|recipient@example.com|<7@smtp-relay.mailin.fr>|2018-03-06T19:10:31.000Z",
                "subscribed|-|recipient@example.com|-|2018-03-06T19:10:32.000Z",
                "unknown|-|recipient@example.com|-|2018-03-06T19:10:33.000Z",
                "opened|-|example@domain.com|<5@smtp-relay.mailin.fr>|2018-08-17T06:18:03.000Z",
                // error's ts_epoch is seconds-sized in Brevo's sample: read by magnitude
                "failed|-|example@domain.com|201798300811.5787683@relay.domain.com|2020-11-09T14:53:43.000Z",
                "clicked|-|example@domain.com|201798300811.5787683@relay.domain.com|2020-11-09T14:54:14.000Z",
                "complained|-|example@domain.com|201798300811.5787683@relay.domain.com|2020-11-09T14:54:14.000Z",
                "delivered|-|recipient@example.com|<201798300811.5787683@relay.domain.com>|2020-11-09T15:51:51.000Z");
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("clicked")).singleElement()
                .satisfies(e -> assertThat(e.get("url").asText()).isEqualTo("https://www.example.com/path?q=a%20b"));
    }

    @Test
    void stores_a_single_event_with_a_bearer_token_once() {
        HttpResponse<String> r = post(BrevoWebhookTest.REQUEST_EVENT, "Bearer " + token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(post(BrevoWebhookTest.REQUEST_EVENT, "Bearer " + token).body())
                .isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(stored()).containsExactly(
                "queued|-|recipient@example.com|<201803062010.27287306012@smtp-relay.mailin.fr>|2018-03-06T19:10:23.123Z");
        JsonNode e = storedEvents().get(0);
        assertThat(e.get("tags").toString()).isEqualTo("[\"tag1\",\"tag2\"]");
        assertThat(e.get("metadata").get("user_id").asText()).isEqualTo("42");
    }

    @Test
    void rejects_wrong_credentials_or_token_with_401() {
        assertThat(post(BrevoWebhookTest.REQUEST_EVENT, basic(username, "wrong")).statusCode()).isEqualTo(401);
        assertThat(post(BrevoWebhookTest.REQUEST_EVENT, "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_missing_credentials_with_401_even_when_the_body_is_malformed() {
        assertThat(hub.post("/webhooks/brevo", "application/json", utf8("{oops")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_malformed_json_and_415_to_another_content_type() {
        assertThat(post("{oops", "Bearer " + token).statusCode()).isEqualTo(400);
        assertThat(post("\"just a string\"", "Bearer " + token).statusCode()).isEqualTo(400);
        HttpResponse<String> text = hub.post("/webhooks/brevo", "text/plain", utf8(BrevoWebhookTest.REQUEST_EVENT),
                "Authorization", "Bearer " + token);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private HttpResponse<String> post(String body, String authorization) {
        return hub.post("/webhooks/brevo", "application/json", utf8(body), "Authorization", authorization);
    }

}
