package com.emaileventhub.esp.mailgun;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.VendorHttpTestSupport;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.StoredEvents;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /webhooks/mailgun over real HTTP, signed in the test with a fresh signing key. Mailgun's HMAC covers
 * only timestamp + token, so single-use tokens (kept in the database, surviving restarts) stop replays.
 */
class MailgunHttpTest extends VendorHttpTestSupport {
    private final String key = fresh();

    @Override
    protected String vendor() {
        return "mailgun";
    }

    @Override
    protected Map<String, String> hubConfig() {
        return Map.of("hub.esp.mailgun.signing-key", key);
    }

    @Test
    void stores_every_event_type_one_request_each() {
        String u = unique();
        for (String eventData : MailgunPayloads.ALL) {
            HttpResponse<String> r = post(hub, withUniqueMessageIds(eventData, u), key, now(), fresh());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        }
        String m1 = u + "-" + MailgunPayloads.MESSAGE_ID;
        String m2 = u + "-20130503192659.13651.20287@sandboxf3a2.mailgun.org";
        String m3 = u + "-20110215055645.25246.63817@sandboxf3a2.mailgun.org";
        String m4 = u + "-20180622182958.1.48906CB188F1A454@sandbox55887fac92de874df5ae0023b75fd62f.mailgun.org";
        assertThat(stored()).containsExactlyInAnyOrder(
                "complained|-|alice@example.com|" + m3 + "|2018-03-16T20:45:23.501Z",
                "bounced|hard|alice@example.com|" + m2 + "|2018-03-16T20:46:35.375Z",
                "clicked|-|alice@example.com|" + m1 + "|2018-03-16T23:35:39.873Z",
                "opened|-|alice@example.com|" + m1 + "|2018-03-16T23:35:39.873Z",
                "unsubscribed|-|alice@example.com|" + m1 + "|2018-03-16T23:35:39.873Z",
                "queued|-|alice@example.com|" + m1 + "|2018-03-19T15:11:02.908Z",
                "deferred|-|alice@example.com|" + m2 + "|2018-03-19T15:11:02.908Z",
                "delivered|-|alice@example.com|" + m1 + "|2018-03-19T15:11:02.908Z",
                // rejected events carry no recipient field: the first address of the To header
                "rejected|-|jane.smith@example.com|" + m4 + "|2018-06-22T18:29:59.626Z",
                "unknown|-|-|" + u + "-x@y|2018-06-22T18:29:59.626Z");
        JsonNode delivered = StoredEvents.events(hub.dataSource(), "message_id = ? AND type = 'delivered'", m1).get(0);
        assertThat(delivered.get("esp_event_id").asText()).isEqualTo("CPgfbmQMTCKtHW6uIWtuVe");
        assertThat(delivered.get("mta_response").asText()).isEqualTo("250 OK");
        assertThat(delivered.get("metadata").get("my_var_1").asText()).isEqualTo("Mailgun Variable #1");
    }

    @Test
    void refuses_a_replayed_token_with_401_even_around_other_event_data() {
        String token = fresh();
        String ts = now();
        String first = withUniqueMessageIds(MailgunPayloads.DELIVERED, unique());
        assertThat(post(hub, first, key, ts, token).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = post(hub, withUniqueMessageIds(MailgunPayloads.OPENED, unique()), key, ts, token);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("already used");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void refuses_a_replayed_token_after_a_restart_on_the_same_database() {
        String db = TestDatabases.h2();
        String token = fresh();
        String ts = now();
        String u = unique();
        try (HubRunner first = HubRunner.start(Map.of("hub.esp.mailgun.signing-key", key, "hub.db.url", db))) {
            assertThat(post(first, withUniqueMessageIds(MailgunPayloads.CLICKED, u), key, ts, token).statusCode())
                    .isEqualTo(200);
        }
        try (HubRunner second = HubRunner.start(Map.of("hub.esp.mailgun.signing-key", key, "hub.db.url", db))) {
            HttpResponse<String> replay = post(second, withUniqueMessageIds(MailgunPayloads.COMPLAINED, u), key, ts, token);
            assertThat(replay.statusCode()).isEqualTo(401);
            assertThat(StoredEvents.summaries(second.dataSource(), "esp = 'mailgun'")).containsExactly(
                    "clicked|-|alice@example.com|" + u + "-" + MailgunPayloads.MESSAGE_ID + "|2018-03-16T23:35:39.873Z");
        }
    }

    @Test
    void rejects_a_tampered_signature_block_or_another_key_with_401() {
        String data = withUniqueMessageIds(MailgunPayloads.DELIVERED, unique());
        String ts = now();
        String token = fresh();
        String body = MailgunPayloads.body(data, key, ts, token).replace("\"timestamp\":\"" + ts + "\"",
                "\"timestamp\":\"" + (Long.parseLong(ts) + 1) + "\"");
        assertThat(hub.post("/webhooks/mailgun", "application/json", utf8(body)).statusCode()).isEqualTo(401);
        assertThat(post(hub, data, fresh(), now(), fresh()).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_a_missing_signature_or_signature_block_with_401() {
        String data = withUniqueMessageIds(MailgunPayloads.DELIVERED, unique());
        String unsigned = MailgunPayloads.signedBody(data, now(), fresh(), "");
        assertThat(hub.post("/webhooks/mailgun", "application/json", utf8(unsigned)).statusCode()).isEqualTo(401);
        String noBlock = "{\"event-data\":" + data + "}";
        HttpResponse<String> r = hub.post("/webhooks/mailgun", "application/json", utf8(noBlock));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("$.signature");
        String notAnObject = "{\"signature\":\"abc\",\"event-data\":" + data + "}";
        assertThat(hub.post("/webhooks/mailgun", "application/json", utf8(notAnObject)).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void rejects_stale_and_future_timestamps_with_401() {
        String data = withUniqueMessageIds(MailgunPayloads.DELIVERED, unique());
        long now = Instant.now().getEpochSecond();
        assertThat(post(hub, data, key, Long.toString(now - 2 * 86_400), fresh()).statusCode()).isEqualTo(401);
        assertThat(post(hub, data, key, Long.toString(now + 2 * 86_400), fresh()).statusCode()).isEqualTo(401);
        assertThat(stored()).isEmpty();
    }

    @Test
    void answers_400_to_malformed_json_and_415_to_another_content_type() {
        assertThat(hub.post("/webhooks/mailgun", "application/json", utf8("{\"signature\":")).statusCode()).isEqualTo(400);
        String body = MailgunPayloads.body(withUniqueMessageIds(MailgunPayloads.DELIVERED, unique()), key, now(), fresh());
        HttpResponse<String> text = hub.post("/webhooks/mailgun", "text/plain", utf8(body));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(415);
        assertThat(stored()).isEmpty();
    }


    private static HttpResponse<String> post(HubRunner target, String eventData, String signingKey, String ts, String token) {
        return target.post("/webhooks/mailgun", "application/json",
                utf8(MailgunPayloads.body(eventData, signingKey, ts, token)));
    }

    /** Every message-id header made unique to one test, so that the journal's de-duplication stays out of the way. */
    private static String withUniqueMessageIds(String eventData, String u) {
        return eventData.replace("\"message-id\":\"", "\"message-id\":\"" + u + "-");
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private static String unique() {
        return "mg" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A 50-character token as Mailgun sends, or a fresh signing key. */
    private static String fresh() {
        byte[] b = new byte[25];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
