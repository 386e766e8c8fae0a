package com.emaileventhub.esp.mailjet;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /webhooks/mailjet over real HTTP: basic auth in the URL; single events and grouped (Version 2) arrays. */
class MailjetHttpTest extends VendorHttpTestSupport {
    private final String username = "mj-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();

    @Override
    protected String vendor() {
        return "mailjet";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.mailjet.username", username, "hub.esp.mailjet.password", password);
    }

    @Test
    void stores_a_grouped_post_of_every_event_type() {
        HttpResponse<String> r = post(MailjetWebhookTest.GROUPED, basic(username, password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":10,\"duplicates\":0}");
        assertThat(stored()).containsExactlyInAnyOrder(
                "bounced|hard|bounce@mailjet.com|13792286917004336|2015-05-05T07:49:55.000Z",
                "rejected|-|bounce@mailjet.com|13792286917004339|2015-05-05T07:49:55.000Z",
                "complained|-|bounce@mailjet.com|13792286917004340|2015-05-05T07:49:55.000Z",
                "bounced|soft|full@mailjet.com|13792286917004337|2015-05-05T07:49:56.000Z",
                // greylisted and not hard: Mailjet retries it
                "deferred|-|protected@example.com|13792286917004338|2015-05-05T07:49:57.000Z",
                "opened|-|api@mailjet.com|19421777396190491|2015-05-31T20:18:39.000Z",
                // MessageID 0: the deprecated mj_message_id stands in
                "delivered|-|legacy@mailjet.com|19421777835146490|2015-06-03T12:19:10.000Z",
                "unknown|-|api@mailjet.com|-|2015-06-03T12:19:11.000Z",
                "clicked|-|api@mailjet.com|19421777396190491|2015-06-03T12:30:53.000Z",
                "unsubscribed|-|api@mailjet.com|20547674933128000|2015-06-03T12:35:41.000Z");
        assertThat(storedEvents())
                .filteredOn(e -> e.get("type").asText().equals("clicked")).singleElement().satisfies(e -> {
                    assertThat(e.get("url").asText()).isEqualTo("https://mailjet.com/?utm_source=x&q=a%20b");
                    assertThat(e.get("ip").asText()).isEqualTo("127.0.0.1");
                });
    }

    @Test
    void stores_a_single_event_with_its_exact_big_message_id_once() {
        assertThat(post(MailjetWebhookTest.SENT, basic(username, password)).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(post(MailjetWebhookTest.SENT, basic(username, password)).body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(stored()).containsExactly("delivered|-|api@mailjet.com|1152921510904321779|2015-06-03T12:19:09.000Z");
        JsonNode e = storedEvents().get(0);
        assertThat(e.get("message_id").asText()).isEqualTo("1152921510904321779");
        assertThat(e.get("raw").get("MessageID").toString()).isEqualTo("1152921510904321779");
        assertThat(e.get("metadata").get("order").asText()).isEqualTo("A-17");
    }

    @Test
    void acknowledges_an_empty_group_with_no_events() {
        assertThat(post("[]", basic(username, password)).body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_wrong_credentials_with_401() {
        assertThat(post(MailjetWebhookTest.SENT, basic(username, "wrong")).statusCode()).isEqualTo(401);
        assertThat(post(MailjetWebhookTest.SENT, basic("other", password)).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_missing_credentials_with_401_even_when_the_body_is_malformed() {
        assertThat(hub.post("/webhooks/mailjet", "application/json", utf8("[{")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_malformed_json_and_415_to_another_content_type() {
        assertThat(post("[{", basic(username, password)).statusCode()).isEqualTo(400);
        HttpResponse<String> text = hub.post("/webhooks/mailjet", "text/plain", utf8(MailjetWebhookTest.SENT),
                "Authorization", basic(username, password));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private HttpResponse<String> post(String body, String authorization) {
        return hub.post("/webhooks/mailjet", "application/json", utf8(body), "Authorization", authorization);
    }

}
