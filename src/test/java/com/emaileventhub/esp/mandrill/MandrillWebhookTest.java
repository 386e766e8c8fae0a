package com.emaileventhub.esp.mandrill;

import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Signing;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

public class MandrillWebhookTest {
    private static final String URL = "https://hooks:s3cret@hub.example.com/webhooks/mandrill?src=mc";
    private final String key = freshKey();
    private final Map<String, String> settings = Map.of("webhook-key", key, "webhook-url", URL);

    /** Shaped like Mandrill's "Webhook format" samples, PHP-style escapes (\/ and \\u00e9) included. */
    public static final String EVENTS = """
            [{"event":"send","msg":{"ts":1365109999,"subject":"Caf\\u00e9 example","email":"Example.Webhook@MandrillApp.com",\
            "sender":"example.sender@mandrillapp.com","tags":["webhook-example","welcome"],"opens":[],"clicks":[],\
            "state":"sent","metadata":{"user_id":111,"plan":"pro"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa",\
            "_version":"exampleaaaaaaaaaaaaaaa"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa","ts":1709146521},
            {"event":"deferral","msg":{"ts":1365109999,"subject":"This an example webhook message",\
            "email":"example.webhook@mandrillapp.com","sender":"example.sender@mandrillapp.com","tags":["webhook-example"],\
            "opens":[],"clicks":[],"state":"deferred","metadata":{"user_id":111},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa1",\
            "_version":"exampleaaaaaaaaaaaaaaa","smtp_events":[{"destination_ip":"127.0.0.1",\
            "diag":"451 4.3.5 Temporarily unavailable, try again later.","source_ip":"127.0.0.1","ts":1365111111,\
            "type":"deferred","size":0}]},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa1","ts":1709146522},
            {"event":"hard_bounce","msg":{"ts":1365109999,"subject":"This an example webhook message",\
            "email":"example.webhook@mandrillapp.com","sender":"example.sender@mandrillapp.com","tags":["webhook-example"],\
            "state":"bounced","metadata":{"user_id":111},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa2",\
            "_version":"exampleaaaaaaaaaaaaaaa","bounce_description":"bad_mailbox","bgtools_code":10,\
            "diag":"smtp;550 5.1.1 The email account that you tried to reach does not exist."},\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa2","ts":1709146523},
            {"event":"soft_bounce","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com",\
            "state":"soft-bounced","bounce_description":"mailbox_full","bgtools_code":22,\
            "diag":"smtp;552 5.2.2 Over Quota","_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa3"},\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa3","ts":1709146524},
            {"event":"open","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"sent",\
            "opens":[{"ts":1365111111}],"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa4"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa4",\
            "ip":"127.0.0.1","location":{"country_short":"US","country":"United States","region":"Oklahoma",\
            "city":"Oklahoma City","latitude":35.4675598145,"longitude":-97.5164337158,"postal_code":"73101",\
            "timezone":"-05:00"},"user_agent":"Mozilla\\/5.0 (Macintosh; U; Intel Mac OS X 10.6; en-US; rv:1.9.1.8) Gecko\\/20100317 Postbox\\/1.1.3",\
            "user_agent_parsed":{"type":"Email Client","ua_family":"Postbox"},"ts":1709146525},
            {"event":"click","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"sent",\
            "clicks":[{"ts":1365111111,"url":"http:\\/\\/mandrill.com\\/?a=1&b=%20"}],"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa5"},\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa5","ip":"127.0.0.1","url":"http:\\/\\/mandrill.com\\/?a=1&b=%20",\
            "user_agent":"Mozilla\\/5.0","ts":1709146526},
            {"event":"spam","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"sent",\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa6"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa6","ts":1709146527},
            {"event":"unsub","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"sent",\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa7"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa7","ts":1709146528},
            {"event":"reject","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"rejected",\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa8"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa8","ts":1709146529},
            {"event":"delivered","msg":{"ts":1365109999,"email":"example.webhook@mandrillapp.com","state":"sent",\
            "_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa9"},"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa9","ts":1709146530},
            {"type":"blacklist","action":"add","reject":{"reason":"hard-bounce",\
            "detail":" smtp;550 5.1.1 The email account that you tried to reach does not exist.",\
            "last_event_at":"2014-02-01 12:43:56","email":"denied@mandrillapp.com","created_at":"2014-01-15 11:32:19",\
            "expires_at":"2014-03-01 12:43:56","expired":false,"subaccount":null,"sender":null},"ts":1709146531},
            {"type":"whitelist","action":"add","reject":null,"entry":{"email":"allowed@mandrillapp.com",\
            "detail":"example details","created_at":"2014-01-15 12:03:19"},"ts":1709146532}]
            """;

    private static String freshKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Mandrill's documented algorithm, written out independently of the verifier. */
    private static String sign(String key, String url, String... namesAndValues) throws Exception {
        StringBuilder data = new StringBuilder(url);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.append(namesAndValues[i]).append(namesAndValues[i + 1]);
        }
        return Base64.getEncoder().encodeToString(Signing.hmac("HmacSHA1", key.getBytes(StandardCharsets.UTF_8),
                data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String form(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private WebhookRequest request(String body, String signature, String contentType) {
        return Requests.request("mandrill", utf8(body),
                signature == null ? Map.of("Content-Type", contentType)
                        : Map.of("Content-Type", contentType, "X-Mandrill-Signature", signature), settings);
    }

    private WebhookRequest signed(String events) throws Exception {
        return request(form("mandrill_events", events), sign(key, URL, "mandrill_events", events),
                "application/x-www-form-urlencoded");
    }

    private List<CanonicalEvent> accept(WebhookRequest r) {
        new MandrillVerifier().verify(r);
        return new MandrillNormalizer().normalize(r);
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void maps_every_mandrill_event_type_in_payload_order() throws Exception {
        List<CanonicalEvent> events = accept(signed(EVENTS));

        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.SENT, EventType.DEFERRED, EventType.BOUNCED, EventType.BOUNCED, EventType.OPENED,
                EventType.CLICKED, EventType.COMPLAINED, EventType.UNSUBSCRIBED, EventType.REJECTED,
                EventType.DELIVERED, EventType.UNKNOWN, EventType.UNKNOWN);
        assertThat(events).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void reads_the_event_time_message_id_recipient_tags_and_metadata() throws Exception {
        CanonicalEvent send = accept(signed(EVENTS)).get(0);

        assertThat(send.occurredAt()).as("top-level ts, not msg.ts").isEqualTo(Instant.ofEpochSecond(1709146521));
        assertThat(send.messageId()).isEqualTo("exampleaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(send.espEventId()).isNull();
        assertThat(send.recipient()).isEqualTo("example.webhook@mandrillapp.com");
        assertThat(send.tags()).containsExactly("webhook-example", "welcome");
        assertThat(send.metadata()).containsOnly(Map.entry("user_id", "111"), Map.entry("plan", "pro"));
        assertThat(send.raw().path("msg").path("subject").asText()).isEqualTo("Café example");
    }

    @Test
    void reads_bounce_kind_description_and_diagnostics() throws Exception {
        List<CanonicalEvent> events = accept(signed(EVENTS));

        CanonicalEvent hard = events.get(2);
        assertThat(hard.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(hard.reason()).isEqualTo("bad_mailbox");
        assertThat(hard.mtaResponse()).isEqualTo("smtp;550 5.1.1 The email account that you tried to reach does not exist.");
        CanonicalEvent soft = events.get(3);
        assertThat(soft.bounceType()).isEqualTo(BounceType.SOFT);
        assertThat(soft.reason()).isEqualTo("mailbox_full");
        assertThat(events.get(1).mtaResponse()).isEqualTo("451 4.3.5 Temporarily unavailable, try again later.");
        assertThat(events.get(1).bounceType()).isNull();
    }

    @Test
    void reads_click_url_verbatim_with_user_agent_and_ip() throws Exception {
        List<CanonicalEvent> events = accept(signed(EVENTS));

        assertThat(events.get(4).userAgent()).startsWith("Mozilla/5.0 (Macintosh;");
        assertThat(events.get(4).ip()).isEqualTo("127.0.0.1");
        assertThat(events.get(5).url()).isEqualTo("http://mandrill.com/?a=1&b=%20");
        assertThat(events.get(5).userAgent()).isEqualTo("Mozilla/5.0");
    }

    @Test
    void keeps_sync_events_as_unknown_with_the_listed_address() throws Exception {
        List<CanonicalEvent> events = accept(signed(EVENTS));

        assertThat(events.get(10).recipient()).isEqualTo("denied@mandrillapp.com");
        assertThat(events.get(10).reason()).isEqualTo("hard-bounce");
        assertThat(events.get(10).messageId()).isNull();
        assertThat(events.get(11).recipient()).isEqualTo("allowed@mandrillapp.com");
        assertThat(events.get(11).occurredAt()).isEqualTo(Instant.ofEpochSecond(1709146532));
    }

    @Test
    void gives_no_events_for_an_empty_batch() throws Exception {
        assertThat(accept(signed("[]"))).isEmpty();
    }

    @Test
    void gives_the_same_ids_when_the_same_batch_is_posted_twice() throws Exception {
        List<String> first = accept(signed(EVENTS)).stream().map(CanonicalEvent::id).toList();

        assertThat(accept(signed(EVENTS)).stream().map(CanonicalEvent::id).toList()).isEqualTo(first);
    }

    @Test
    void signs_all_form_fields_sorted_by_name() throws Exception {
        String events = "[{\"event\":\"send\",\"msg\":{\"email\":\"a@example.com\"},\"_id\":\"m1\",\"ts\":1709146521}]";
        String body = form("zeta", "last") + "&" + form("mandrill_events", events) + "&" + form("alpha", "é first");
        String signature = sign(key, URL, "alpha", "é first", "mandrill_events", events, "zeta", "last");

        assertThat(accept(request(body, signature, "application/x-www-form-urlencoded"))).hasSize(1);
    }

    @Test
    void accepts_a_signature_made_with_a_rotated_key() throws Exception {
        String oldKey = freshKey();
        String events = "[]";
        WebhookRequest r = Requests.request("mandrill", utf8(form("mandrill_events", events)),
                Map.of("Content-Type", "application/x-www-form-urlencoded",
                        "X-Mandrill-Signature", sign(oldKey, URL, "mandrill_events", events)),
                Map.of("webhook-key", key + "," + oldKey, "webhook-url", URL));

        new MandrillVerifier().verify(r);
    }

    @Test
    void rejects_a_tampered_body_with_401() throws Exception {
        String signature = sign(key, URL, "mandrill_events", EVENTS);
        String tampered = EVENTS.replace("hard_bounce", "soft_bounce");

        assertStatus(() -> new MandrillVerifier().verify(
                request(form("mandrill_events", tampered), signature, "application/x-www-form-urlencoded")), 401);
    }

    @Test
    void rejects_a_signature_made_with_another_key_or_url_with_401() throws Exception {
        String wrongKey = sign(freshKey(), URL, "mandrill_events", EVENTS);
        String wrongUrl = sign(key, URL + "/", "mandrill_events", EVENTS);

        assertStatus(() -> new MandrillVerifier().verify(
                request(form("mandrill_events", EVENTS), wrongKey, "application/x-www-form-urlencoded")), 401);
        assertStatus(() -> new MandrillVerifier().verify(
                request(form("mandrill_events", EVENTS), wrongUrl, "application/x-www-form-urlencoded")), 401);
    }

    @Test
    void rejects_a_missing_signature_with_401() {
        assertStatus(() -> new MandrillVerifier().verify(
                request(form("mandrill_events", EVENTS), null, "application/x-www-form-urlencoded")), 401);
    }

    @Test
    void fails_closed_with_401_when_key_or_url_is_not_configured() throws Exception {
        String events = "[]";
        String signature = sign(key, URL, "mandrill_events", events);
        for (Map<String, String> partial : List.of(Map.<String, String>of(), Map.of("webhook-key", key),
                Map.of("webhook-url", URL))) {
            WebhookRequest r = Requests.request("mandrill", utf8(form("mandrill_events", events)),
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Mandrill-Signature", signature), partial);
            assertStatus(() -> new MandrillVerifier().verify(r), 401);
        }
    }

    @Test
    void rejects_a_signed_body_without_the_events_field_with_400_after_verifying() throws Exception {
        String body = form("other", "x");
        WebhookRequest r = request(body, sign(key, URL, "other", "x"), "application/x-www-form-urlencoded");

        new MandrillVerifier().verify(r);
        assertThatThrownBy(() -> new MandrillNormalizer().normalize(r))
                .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("mandrill_events");
                });
    }

    @Test
    void rejects_signed_events_that_are_not_a_json_array_with_400() throws Exception {
        for (String events : List.of("GARBAGE DATA", "{\"event\":\"send\"}")) {
            WebhookRequest r = signed(events);
            new MandrillVerifier().verify(r);
            assertStatus(() -> new MandrillNormalizer().normalize(r), 400);
        }
    }

    @Test
    void rejects_a_wrong_content_type_with_415() throws Exception {
        String signature = sign(key, URL, "mandrill_events", EVENTS);
        WebhookRequest r = request(form("mandrill_events", EVENTS), signature, "application/json");

        new MandrillVerifier().verify(r);
        assertStatus(() -> new MandrillNormalizer().normalize(r), 415);
    }
}
