package com.emaileventhub.esp.fuzz;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.brevo.BrevoWebhookTest;
import com.emaileventhub.esp.fuzz.FuzzVendor.WireRequest;
import com.emaileventhub.esp.mailjet.MailjetWebhookTest;
import com.emaileventhub.esp.sendgrid.SendGridPayloads;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Texts;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile requests (ones a careless hub answers with a 2xx storing nothing, a 500, a 503 or not at all), each
 * posted with valid credentials to a hub on H2 and one on PostgreSQL: a 4xx naming the fault, storing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputHttpTest {
    private final FuzzVendors vendors = new FuzzVendors();
    private final Map<WebhookFuzzTest.Db, HubRunner> hubs = new EnumMap<>(WebhookFuzzTest.Db.class);

    @BeforeAll
    void startHubs() throws Exception {
        Map<String, String> config = new HashMap<>(vendors.hubConfig());
        config.put("hub.db.url", TestDatabases.h2());
        hubs.put(WebhookFuzzTest.Db.H2, HubRunner.start(config));
        config.put("hub.db.url", TestDatabases.postgres());
        config.put("hub.db.username", TestDatabases.PG_USER);
        hubs.put(WebhookFuzzTest.Db.POSTGRES, HubRunner.start(config));
    }

    @AfterAll
    void stopHubs() {
        hubs.values().forEach(HubRunner::close);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_a_number_with_a_huge_exponent_at_once_with_400_naming_its_path(WebhookFuzzTest.Db db) {
        long before = rows(db);
        String brevo = "{\"event\":\"delivered\",\"email\":\"a@example.com\",\"ts_epoch\": 1795E71244000}";
        // Mailjet's MessageID once turned into a 71-million-digit plain text (an OutOfMemoryError: 500)
        String mailjet = MailjetWebhookTest.SENT.replace("1152921510904321779,", "1E2000000000,");
        String sendGrid = "[{\"event\":\"open\",\"email\":\"a@example.com\",\"timestamp\":1e-999999999}]";
        for (String[] c : new String[][]{{"brevo", brevo, "$.ts_epoch"}, {"mailjet", mailjet, "$.MessageID"},
                {"sendgrid", sendGrid, "$[0].timestamp"}}) {
            long started = System.nanoTime();
            HttpResponse<String> r = post(db, c[0], c[1]);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains(c[2] + ": number out of range");
        }
        assertThat(rows(db)).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_trailing_content_after_the_json_document_with_400(WebhookFuzzTest.Db db) {
        long before = rows(db);
        String batch = SendGridPayloads.batch(SendGridPayloads.ALL);
        assertThat(post(db, "sendgrid", batch + batch).statusCode()).isEqualTo(400);
        assertThat(post(db, "brevo", BrevoWebhookTest.REQUEST_EVENT + "\n" + BrevoWebhookTest.REQUEST_EVENT).statusCode())
                .isEqualTo(400);
        HttpResponse<String> r = post(db, "sparkpost", "[] []");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("malformed JSON");
        assertThat(rows(db)).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_a_json_body_posted_as_a_form_or_multipart_with_415(WebhookFuzzTest.Db db) {
        long before = rows(db);
        String multipart = "multipart/form-data; boundary=xyz";
        for (String vendor : List.of("brevo", "mailjet", "sparkpost", "mailersend", "sendgrid", "postmark")) {
            String body = vendors.get(vendor).samples().get(0);
            for (String type : List.of(multipart, "application/x-www-form-urlencoded")) {
                WireRequest request = vendors.get(vendor).request(utf8(body), UnaryOperator.identity()).withContentType(type);
                HttpResponse<String> r = send(db, vendor, request);
                assertThat(r.statusCode()).as(vendor + " " + type + ": " + r.body()).isEqualTo(415);
            }
        }
        assertThat(rows(db)).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_an_empty_body_with_400_but_acknowledges_an_empty_sparkpost_batch(WebhookFuzzTest.Db db) {
        long before = rows(db);
        for (String vendor : List.of("brevo", "mailjet", "sparkpost", "mailersend")) {
            HttpResponse<String> r = post(db, vendor, "");
            assertThat(r.statusCode()).as(vendor + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("body is empty");
        }
        assertThat(post(db, "sparkpost", "[]").body()).isEqualTo("{\"accepted\":0,\"duplicates\":0}");
        assertThat(post(db, "sparkpost", "[{\"msys\":{}}]").statusCode()).isEqualTo(200);
        assertThat(rows(db)).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_signed_bytes_that_are_not_a_sendgrid_batch_with_400(WebhookFuzzTest.Db db) {
        long before = rows(db);
        for (byte[] body : List.of(utf8("[]\u0000garbage"), new byte[]{'[', ']', (byte) 0xff, 0x01}, utf8("[{}]{"),
                new byte[]{'[', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ']'})) {
            HttpResponse<String> r = send(db, "sendgrid", vendors.get("sendgrid").request(body, UnaryOperator.identity()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        }
        assertThat(rows(db)).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void stores_a_multi_megabyte_reason_whole_and_refuses_a_multi_megabyte_id_with_400_naming_it(WebhookFuzzTest.Db db) {
        String id = "big-" + UUID.randomUUID();
        String reason = "x".repeat(3_000_000);
        String bounce = "[{\"event\":\"bounce\",\"type\":\"bounce\",\"email\":\"big@example.com\",\"timestamp\":1700000000,"
                + "\"sg_message_id\":\"" + id + "\",\"reason\":\"" + reason + "\"}]";
        HttpResponse<String> stored = post(db, "sendgrid", bounce);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        String body = Rows.strings(hubs.get(db).dataSource(), "SELECT body FROM hub_event WHERE message_id = ?", id).get(0);
        assertThat(body).contains("\"reason\":\"" + reason + "\"");

        long before = rows(db);
        String longId = bounce.replace(id, "m".repeat(2_500_000)).replace(reason, "short");
        HttpResponse<String> refused = post(db, "sendgrid", longId);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("event 0: message_id is 2500000 characters long");
        assertThat(rows(db)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_a_nul_character_in_an_id_with_400_and_archives_one_in_a_reason_replaced(WebhookFuzzTest.Db db) {
        // PostgreSQL text cannot hold U+0000 (SQLState 22021, once a 503): an id with one is refused on both
        String body = "[{\"event\":\"open\",\"email\":\"nul@example.com\",\"timestamp\":1700000000,"
                + "\"sg_message_id\":\"a\\u0000b-" + UUID.randomUUID() + "\"}]";
        HttpResponse<String> r = post(db, "sendgrid", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("event 0: message_id contains U+0000");
        // in a derived text it would fail every archive batch it is in, forever
        String id = "nul-" + UUID.randomUUID();
        String bounce = "[{\"event\":\"bounce\",\"type\":\"bounce\",\"email\":\"nul@example.com\",\"timestamp\":1700000000,"
                + "\"sg_message_id\":\"" + id + "\",\"reason\":\"550\\u0000 no such user\"}]";
        assertThat(post(db, "sendgrid", bounce).statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Rows.strings(hubs.get(db).dataSource(),
                "SELECT reason FROM hub_archive WHERE message_id = ?", id)).containsExactly("550\ufffd no such user"));
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_a_list_without_event_objects_and_keeps_odd_events_as_unknown(WebhookFuzzTest.Db db) {
        HttpResponse<String> r = post(db, "mailjet", "[1, \"x\"]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("$[0]: expected an event object, got number");
        String odd = "[{\"event\":\"open\",\"time\":\"soon\",\"MessageID\":{\"nested\":[]},\"email\":42,\"Payload\":[1]},"
                + " \"odd\"]";
        HttpResponse<String> kept = post(db, "mailjet", odd);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(kept.body()).isEqualTo("{\"accepted\":2,\"duplicates\":0}");
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void stores_a_body_as_deep_as_reading_allows_and_refuses_a_deeper_one_with_400(WebhookFuzzTest.Db db) {
        // the object is level 1, so 999 arrays reach Jackson's read limit of 1000; raw sits one level deeper
        // in the canonical event, where it must still serialize (else a 500)
        String deepest = "{\"event\":\"delivered\",\"email\":\"deep@example.com\",\"message-id\":\"<deep-"
                + UUID.randomUUID() + ">\",\"x\":" + "[".repeat(999) + "]".repeat(999) + "}";
        HttpResponse<String> stored = post(db, "brevo", deepest);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        long before = rows(db);
        HttpResponse<String> refused = post(db, "brevo", deepest.replace("\"x\":[", "\"x\":[[").replace("]}", "]]}"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("nesting depth exceeds 1000 levels");
        // the stored event is read back by its destinations: the archive must take it, not mark it dead
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Rows.strings(
                hubs.get(db).dataSource(), "SELECT recipient FROM hub_archive WHERE recipient = ?", "deep@example.com"))
                .hasSize(1));
        assertThat(rows(db)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void archives_events_with_an_absurd_time_or_ip_and_refuses_a_megabyte_event_id(WebhookFuzzTest.Db db) {
        // year 13,091,824 would fail every archive batch it is in (PostgreSQL: timestamp out of range)
        String id = "far-" + UUID.randomUUID();
        String far = "[{\"msys\":{\"message_event\":{\"type\":\"delivery\",\"rcpt_to\":\"far@example.com\","
                + "\"timestamp\":\"413091824000000\",\"transmission_id\":\"" + id + "\",\"event_id\":\"e-" + id + "\"}}},"
                + "{\"msys\":{\"track_event\":{\"type\":\"open\",\"rcpt_to\":\"ip@example.com\",\"timestamp\":\"1454442600\","
                + "\"transmission_id\":\"" + id + "\",\"event_id\":\"i-" + id + "\",\"ip_address\":\"" + "1".repeat(5000) + "\"}}}]";
        HttpResponse<String> r = post(db, "sparkpost", far);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HubRunner hub = hubs.get(db);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Rows.strings(hub.dataSource(),
                "SELECT ip FROM hub_archive WHERE message_id = ?", id)).containsExactlyInAnyOrder(
                "1".repeat(CanonicalEvent.MAX_IP - Texts.CUT_MARKER.length()) + Texts.CUT_MARKER, null));
        assertThat(Rows.strings(hub.dataSource(), "SELECT body FROM hub_event WHERE message_id = ? AND recipient = ?",
                id, "far@example.com").get(0)).contains("\"timestamp\":\"413091824000000\"");

        long before = rows(db);
        String longId = far.replace("\"event_id\":\"e-", "\"event_id\":\"" + "e".repeat(1_100_000));
        HttpResponse<String> refused = post(db, "sparkpost", longId);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("event 0: esp_event_id is 1100");
        assertThat(rows(db)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(WebhookFuzzTest.Db.class)
    void refuses_an_sns_envelope_without_its_signature_with_401(WebhookFuzzTest.Db db) {
        FuzzVendor ses = vendors.get("ses");
        HttpResponse<String> r = send(db, "ses", ses.unsigned(utf8(ses.samples().get(0))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).contains("Signature is missing");
    }

    private long rows(WebhookFuzzTest.Db db) {
        return Rows.count(hubs.get(db).dataSource(), "SELECT COUNT(*) FROM hub_event");
    }

    private HttpResponse<String> post(WebhookFuzzTest.Db db, String vendor, String body) {
        return send(db, vendor, vendors.get(vendor).request(utf8(body), UnaryOperator.identity()));
    }

    private HttpResponse<String> send(WebhookFuzzTest.Db db, String vendor, WireRequest request) {
        List<String> headers = new ArrayList<>();
        request.headers().forEach((k, v) -> {
            headers.add(k);
            headers.add(v);
        });
        return hubs.get(db).post("/webhooks/" + vendor, request.contentType(), request.body(), headers.toArray(String[]::new));
    }
}
