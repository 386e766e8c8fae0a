package com.emaileventhub.esp.postmark;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.emaileventhub.support.StoredEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /webhooks/postmark over real HTTP: basic auth from the webhook URL, one record per request. */
class PostmarkHttpTest extends VendorHttpTestSupport {
    private final String username = "pm-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();

    @Override
    protected String vendor() {
        return "postmark";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.postmark.username", username, "hub.esp.postmark.password", password);
    }

    @Test
    void stores_every_record_type_and_bounce_kind() {
        String u = unique();
        List<String> records = new ArrayList<>(List.of(PostmarkPayloads.DELIVERY, PostmarkPayloads.SPAM_COMPLAINT,
                PostmarkPayloads.OPEN, PostmarkPayloads.CLICK, PostmarkPayloads.subscriptionChange("true", "ManualSuppression"),
                PostmarkPayloads.subscriptionChange("false", null)));
        Object[][] bounces = {{"HardBounce", 1}, {"SoftBounce", 4096}, {"Transient", 2}, {"AutoResponder", 64},
                {"BadEmailAddress", 100000}, {"SMTPApiError", 100007}, {"SpamNotification", 512}, {"Unsubscribe", 16},
                {"Subscribe", 32}, {"Unknown", 2048}};
        for (int i = 0; i < bounces.length; i++) {
            // each Bounce record has its own ID (the stable event id), as Postmark sends them
            records.add(PostmarkPayloads.bounce((String) bounces[i][0], (Integer) bounces[i][1])
                    .replace("\"ID\":4323372036854775807", "\"ID\":" + (4323372036854775000L + i)));
        }
        for (String record : records) {
            HttpResponse<String> r = post(unique(record, u), basic(username, password));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        }
        String zero = u + "-00000000-0000-0000-0000-000000000000";
        String bounce = u + "-883953f4-6105-42a2-a16a-77a8eac79483";
        assertThat(stored()).containsExactlyInAnyOrder(
                "clicked|-|john@example.com|" + zero + "|2017-10-25T19:21:11.123Z",
                "complained|-|john@example.com|" + zero + "|2019-11-05T16:33:54.907Z",
                "opened|-|john@example.com|" + zero + "|2019-11-05T16:33:54.907Z",
                "unsubscribed|-|bounced-address@wildbit.com|" + bounce + "|2020-02-01T10:53:34.416Z",
                "subscribed|-|bounced-address@wildbit.com|" + bounce + "|2020-02-01T10:53:34.416Z",
                "delivered|-|john@example.com|" + zero + "|2021-02-21T16:34:52.000Z",
                "bounced|hard|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "bounced|soft|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "deferred|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "autoresponded|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "rejected|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "failed|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "complained|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "unsubscribed|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "subscribed|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z",
                "unknown|-|john@example.com|" + bounce + "|2019-11-05T16:33:54.907Z");
        JsonNode click = StoredEvents.events(hub.dataSource(), "message_id = ? AND type = 'clicked'", zero).get(0);
        assertThat(click.get("url").asText()).isEqualTo("https://example.com/Landing?id=1&ref=%E2%9C%93");
        assertThat(click.get("ip").asText()).isEqualTo("8.8.8.8");
        assertThat(click.get("tags").get(0).asText()).isEqualTo("welcome-email");
    }

    @Test
    void a_repeated_record_is_stored_once() {
        String record = unique(PostmarkPayloads.DELIVERY, unique());
        assertThat(post(record, basic(username, password)).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(post(record, basic(username, password)).body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void rejects_wrong_credentials_with_401() {
        String record = unique(PostmarkPayloads.DELIVERY, unique());
        assertThat(post(record, basic(username, "wrong")).statusCode()).isEqualTo(401);
        assertThat(post(record, basic("someone", password)).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_missing_credentials_with_401_even_when_the_body_is_malformed() {
        assertThat(hub.post("/webhooks/postmark", "application/json", utf8("{oops")).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_malformed_json_or_a_record_without_type_and_415_to_another_content_type() {
        assertThat(post("{oops", basic(username, password)).statusCode()).isEqualTo(400);
        HttpResponse<String> noType = post("{\"MessageID\":\"x\",\"Recipient\":\"a@b.c\"}", basic(username, password));
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).contains("RecordType");
        HttpResponse<String> text = hub.post("/webhooks/postmark", "text/plain",
                utf8(unique(PostmarkPayloads.DELIVERY, unique())), "Authorization", basic(username, password));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }

    private HttpResponse<String> post(String body, String authorization) {
        return hub.post("/webhooks/postmark", "application/json", utf8(body), "Authorization", authorization);
    }


    private static String unique(String record, String u) {
        return record.replace("\"MessageID\":\"", "\"MessageID\":\"" + u + "-");
    }

    private static String unique() {
        return "pm" + UUID.randomUUID().toString().substring(0, 8);
    }
}
