package com.emaileventhub.esp.sendgrid;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.Signing;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** POST /webhooks/sendgrid over real HTTP, signed in the test with a freshly generated P-256 key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridWebhookTest {
    private static final int MAX_BODY = 64 * 1024;
    private final KeyPair key = Signing.ecKeyPair();
    private final KeyPair otherKey = Signing.ecKeyPair();
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of(
                "hub.esp.sendgrid.public-key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                "hub.http.max-body-bytes", Integer.toString(MAX_BODY)));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void accepts_a_signed_batch_of_every_event_type_and_stores_each_event_once() throws Exception {
        String messageId = unique();
        String body = batch(messageId);
        HttpResponse<String> r = post(body, key, Instant.now());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body())).isEqualTo(Json.MAPPER.readTree("{\"accepted\":13,\"duplicates\":0}"));
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-twilio"));
        assertThat(Rows.strings(hub.dataSource(), "SELECT type FROM hub_event WHERE message_id = ? ORDER BY occurred_at", messageId))
                .containsExactly("queued", "deferred", "delivered", "opened", "clicked", "bounced", "rejected",
                        "complained", "unsubscribed", "unsubscribed", "subscribed", "bounced");

        HttpResponse<String> again = post(body, key, Instant.now());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"accepted\":0,\"duplicates\":13}");
        assertThat(count(messageId)).isEqualTo(12);   // the account event belongs to no message
    }

    @Test
    void the_stored_events_are_served_by_the_query_api_in_both_orders() throws Exception {
        String messageId = unique();
        assertThat(post(batch(messageId), key, Instant.now()).statusCode()).isEqualTo(200);
        JsonNode timeline = Json.MAPPER.readTree(hub.api("/api/messages/" + messageId + "/events").body()).get("events");
        assertThat(timeline).hasSize(12);
        assertThat(timeline.get(0).get("type").asText()).isEqualTo("queued");
        assertThat(timeline.get(4).get("url").asText()).isEqualTo("https://www.example.com/path?utm_source=x&q=%2Fa%20b");
        JsonNode page = Json.MAPPER.readTree(hub.api("/api/events?message_id=" + messageId + "&limit=5").body());
        assertThat(page.get("events")).hasSize(5);
        assertThat(page.get("events").get(0).get("occurred_at").asText()).isEqualTo("2025-02-23T08:45:20.000Z");
        assertThat(page.get("next_cursor").isTextual()).isTrue();
    }

    @Test
    void rejects_a_tampered_body_with_401_and_stores_nothing() {
        String messageId = unique();
        String body = batch(messageId);
        Instant at = Instant.now();
        String signature = sign(key, at, body);
        HttpResponse<String> r = hub.post("/webhooks/sendgrid", "application/json",
                body.replace("example@test.com", "attacker@test.com").getBytes(StandardCharsets.UTF_8),
                SendGridVerifier.SIGNATURE_HEADER, signature,
                SendGridVerifier.TIMESTAMP_HEADER, Long.toString(at.getEpochSecond()));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"error\"");
        assertThat(count(messageId)).isZero();
    }

    @Test
    void rejects_a_signature_made_with_another_key() {
        String messageId = unique();
        assertThat(post(batch(messageId), otherKey, Instant.now()).statusCode()).isEqualTo(401);
        assertThat(count(messageId)).isZero();
    }

    @Test
    void rejects_a_request_without_signature() {
        String messageId = unique();
        HttpResponse<String> r = hub.post("/webhooks/sendgrid", "application/json",
                batch(messageId).getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(count(messageId)).isZero();
    }

    @Test
    void rejects_a_stale_timestamp() {
        String messageId = unique();
        assertThat(post(batch(messageId), key, Instant.now().minusSeconds(2 * 86_400)).statusCode()).isEqualTo(401);
        assertThat(count(messageId)).isZero();
    }

    @Test
    void answers_400_to_signed_malformed_json_naming_the_fault() {
        HttpResponse<String> r = post("[{\"event\":\"open\",]\r\n", key, Instant.now());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("JSON");
    }

    @Test
    void answers_401_before_400_when_an_unsigned_body_is_also_malformed() {
        HttpResponse<String> r = hub.post("/webhooks/sendgrid", "application/json", "not json".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void answers_415_to_a_signed_body_of_the_wrong_content_type() {
        String messageId = unique();
        String body = batch(messageId);
        Instant at = Instant.now();
        HttpResponse<String> r = hub.post("/webhooks/sendgrid", "text/xml", body.getBytes(StandardCharsets.UTF_8),
                SendGridVerifier.SIGNATURE_HEADER, sign(key, at, body),
                SendGridVerifier.TIMESTAMP_HEADER, Long.toString(at.getEpochSecond()));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(count(messageId)).isZero();
    }

    @Test
    void answers_413_to_a_body_over_the_limit() {
        String body = "[" + "{\"event\":\"open\",\"email\":\"a@b.c\"},".repeat(MAX_BODY / 30) + "{}]";
        HttpResponse<String> r = post(body, key, Instant.now());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void answers_404_to_an_unknown_vendor() {
        assertThat(hub.post("/webhooks/nosuchesp", "application/json", "[]".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(404);
    }

    @Test
    void an_empty_batch_is_acknowledged_with_no_events() {
        HttpResponse<String> r = post("[]\r\n", key, Instant.now());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
    }

    @Test
    void concurrent_posts_of_the_same_batch_store_each_event_once() throws Exception {
        String messageId = unique();
        String body = batch(messageId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                posts.add(() -> post(body, key, Instant.now()));
            }
            int accepted = 0;
            for (Future<HttpResponse<String>> f : pool.invokeAll(posts)) {
                assertThat(f.get().statusCode()).isEqualTo(200);
                accepted += Json.MAPPER.readTree(f.get().body()).get("accepted").asInt();
            }
            assertThat(accepted).isEqualTo(13);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(messageId)).isEqualTo(12);
    }

    private long count(String messageId) {
        return Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM hub_event WHERE message_id = ?", messageId);
    }

    private HttpResponse<String> post(String body, KeyPair signer, Instant at) {
        return hub.post("/webhooks/sendgrid", "application/json;charset=utf-8", body.getBytes(StandardCharsets.UTF_8),
                SendGridVerifier.SIGNATURE_HEADER, sign(signer, at, body),
                SendGridVerifier.TIMESTAMP_HEADER, Long.toString(at.getEpochSecond()));
    }

    /** Every event type, made unique to one test: the message ids, and the account event's time (it has no message). */
    private static String batch(String messageId) {
        long accountEventAt = 1_600_000_000L + Math.floorMod(messageId.hashCode(), 100_000_000);
        return SendGridPayloads.batch(SendGridPayloads.ALL)
                .replace(SendGridPayloads.MESSAGE_ID, messageId)
                .replace("euo2iKxdSayPF4YE4--I7A.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0", messageId)
                .replace("\"timestamp\":1513299580", "\"timestamp\":" + accountEventAt);
    }

    private static String unique() {
        return "sg-" + UUID.randomUUID();
    }

    static String sign(KeyPair signer, Instant at, String body) {
        return Signing.ecdsa(signer.getPrivate(), Long.toString(at.getEpochSecond()).getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
