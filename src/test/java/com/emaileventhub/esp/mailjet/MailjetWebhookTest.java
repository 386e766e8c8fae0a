package com.emaileventhub.esp.mailjet;

import static com.emaileventhub.esp.Requests.basic;
import static com.emaileventhub.esp.Requests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class MailjetWebhookTest {
    private final String username = "mj-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();
    private final Map<String, String> settings = Map.of("username", username, "password", password);

    /** Shaped like the dev.mailjet.com event API samples; MessageIDs above 2^53 as Mailjet sends them. */
    public static final String SENT = """
            {"event": "sent", "time": 1433333949, "MessageID": 1152921510904321779,
             "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "API@Mailjet.com", "mj_campaign_id": 7257,
             "mj_contact_id": 4, "customcampaign": "spring-sale", "mj_message_id": "1152921510904321779",
             "smtp_reply": "sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)", "CustomID": "helloworld",
             "Payload": "{\\"order\\": \\"A-17\\", \\"amount\\": 12.50}"}
            """;

    public static final String GROUPED = """
            [
             {"event": "open", "time": 1433103519, "MessageID": 19421777396190491,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "api@mailjet.com", "mj_campaign_id": 7173,
              "mj_contact_id": 320, "customcampaign": "", "CustomID": "helloworld", "Payload": "",
              "ip": "127.0.0.1", "geo": "US", "agent": "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0"},
             {"event": "click", "time": 1433334653, "MessageID": 19421777396190491,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "api@mailjet.com", "mj_campaign_id": 7272,
              "mj_contact_id": 4, "customcampaign": "", "CustomID": "helloworld", "Payload": "",
              "url": "https://mailjet.com/?utm_source=x&q=a%20b", "ip": "127.0.0.1", "geo": "FR",
              "agent": "Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36"},
             {"event": "bounce", "time": 1430812195, "MessageID": 13792286917004336,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "bounce@mailjet.com", "mj_campaign_id": 0,
              "mj_contact_id": 12345678, "customcampaign": "", "CustomID": "helloworld", "Payload": "",
              "blocked": false, "hard_bounce": true, "error_related_to": "recipient", "error": "user unknown",
              "comment": "Host or domain name not found. Name service error for name=lbjsnrftlsiuvbsren.com type=A: Host not found"},
             {"event": "bounce", "time": 1430812196, "MessageID": 13792286917004337, "email": "full@mailjet.com",
              "mj_campaign_id": 0, "customcampaign": "", "blocked": false, "hard_bounce": false,
              "error_related_to": "recipient", "error": "quota exceeded"},
             {"event": "bounce", "time": 1430812197, "MessageID": 13792286917004338, "email": "protected@example.com",
              "mj_campaign_id": 1234567890, "customcampaign": "", "blocked": true, "hard_bounce": false,
              "error_related_to": "domain", "error": "greylisted"},
             {"event": "blocked", "time": 1430812195, "MessageID": 13792286917004339,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "bounce@mailjet.com", "mj_campaign_id": 0,
              "mj_contact_id": 0, "customcampaign": "", "CustomID": "helloworld", "Payload": "",
              "error_related_to": "recipient", "error": "user unknown"},
             {"event": "spam", "time": 1430812195, "MessageID": 13792286917004340,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "bounce@mailjet.com", "mj_campaign_id": 1234,
              "mj_contact_id": 5678, "customcampaign": "", "CustomID": "helloworld", "Payload": "", "source": "JMRPP"},
             {"event": "unsub", "time": 1433334941, "MessageID": 20547674933128000,
              "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j", "email": "api@mailjet.com", "mj_campaign_id": 7276,
              "mj_contact_id": 126, "customcampaign": "", "CustomID": "helloworld", "Payload": "not json",
              "ip": "127.0.0.1", "geo": "FR", "agent": "List-Unsubscribe", "mj_list_id": 1},
             {"event": "sent", "time": 1433333950, "MessageID": 0, "mj_message_id": "19421777835146490",
              "email": "legacy@mailjet.com", "customcampaign": ""},
             {"event": "newsletter_forward", "time": 1433333951, "email": "api@mailjet.com"}
            ]
            """;

    private WebhookRequest request(String body, Map<String, String> headers) {
        return Requests.request("mailjet", utf8(body), headers, settings);
    }

    private List<CanonicalEvent> accept(String body) {
        WebhookRequest r = request(body, Map.of("Authorization", basic(username, password), "Content-Type", "application/json"));
        new MailjetVerifier().verify(r);
        return new MailjetNormalizer().normalize(r);
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(WebhookRejection.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void reads_a_single_event_with_its_exact_big_message_id_time_tags_and_metadata() {
        CanonicalEvent sent = accept(SENT).get(0);

        assertThat(sent.type()).isEqualTo(EventType.DELIVERED);
        assertThat(sent.messageId()).isEqualTo("1152921510904321779");
        assertThat(sent.occurredAt()).isEqualTo(Instant.ofEpochSecond(1433333949));
        assertThat(sent.recipient()).isEqualTo("api@mailjet.com");
        assertThat(sent.espEventId()).isNull();
        assertThat(sent.mtaResponse()).isEqualTo("sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)");
        assertThat(sent.tags()).containsExactly("spring-sale");
        assertThat(sent.metadata()).containsOnly(Map.entry("order", "A-17"), Map.entry("amount", "12.50") /* decimals kept as written */,
                Map.entry("CustomID", "helloworld"), Map.entry("mj_campaign_id", "7257"));
        assertThat(sent.raw().get("MessageID").bigIntegerValue().toString()).isEqualTo("1152921510904321779");
    }

    @Test
    void maps_every_event_type_of_a_grouped_post_in_payload_order() {
        List<CanonicalEvent> events = accept(GROUPED);

        assertThat(events).extracting(CanonicalEvent::type).containsExactly(
                EventType.OPENED, EventType.CLICKED, EventType.BOUNCED, EventType.BOUNCED, EventType.DEFERRED,
                EventType.REJECTED, EventType.COMPLAINED, EventType.UNSUBSCRIBED, EventType.DELIVERED, EventType.UNKNOWN);
        assertThat(events).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
        assertThat(events.get(0).messageId()).as("odd value above 2^53, no floating point").isEqualTo("19421777396190491");
    }

    @Test
    void decides_hard_soft_and_greylisted_bounces() {
        List<CanonicalEvent> events = accept(GROUPED);

        assertThat(events.get(2).bounceType()).isEqualTo(BounceType.HARD);
        assertThat(events.get(2).reason()).isEqualTo("user unknown");
        assertThat(events.get(2).mtaResponse()).startsWith("Host or domain name not found.");
        assertThat(events.get(3).bounceType()).isEqualTo(BounceType.SOFT);
        assertThat(events.get(3).reason()).isEqualTo("quota exceeded");
        assertThat(events.get(4).bounceType()).isNull();
        assertThat(events.get(4).reason()).isEqualTo("greylisted");
        assertThat(events.get(5).reason()).isEqualTo("user unknown");
        assertThat(events.get(6).reason()).isEqualTo("JMRPP");
    }

    @Test
    void reads_click_url_verbatim_agent_and_ip() {
        List<CanonicalEvent> events = accept(GROUPED);

        assertThat(events.get(0).userAgent()).isEqualTo("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0");
        assertThat(events.get(0).ip()).isEqualTo("127.0.0.1");
        assertThat(events.get(1).url()).isEqualTo("https://mailjet.com/?utm_source=x&q=a%20b");
        assertThat(events.get(7).userAgent()).isEqualTo("List-Unsubscribe");
    }

    @Test
    void keeps_a_non_json_payload_whole_and_drops_empty_campaign_values() {
        List<CanonicalEvent> events = accept(GROUPED);

        assertThat(events.get(7).metadata()).containsOnly(Map.entry("Payload", "not json"),
                Map.entry("CustomID", "helloworld"), Map.entry("mj_campaign_id", "7276"));
        assertThat(events.get(2).metadata()).containsOnly(Map.entry("CustomID", "helloworld"));
        assertThat(events.get(2).tags()).isEmpty();
    }

    @Test
    void falls_back_to_mj_message_id_when_message_id_is_missing_or_zero() {
        assertThat(accept(GROUPED).get(8).messageId()).isEqualTo("19421777835146490");
    }

    @Test
    void gives_no_events_for_an_empty_group_or_an_empty_object_and_400_for_an_empty_body() {
        assertThat(accept("[]")).isEmpty();
        assertThat(accept("{}")).isEmpty();
        assertThatThrownBy(() -> accept("")).isInstanceOfSatisfying(WebhookRejection.class,
                r -> assertThat(r.getMessage()).isEqualTo("body is empty; expected JSON"));
    }

    @Test
    void gives_the_same_ids_when_the_same_post_is_repeated() {
        List<String> first = accept(GROUPED).stream().map(CanonicalEvent::id).toList();

        assertThat(accept(GROUPED).stream().map(CanonicalEvent::id).toList()).isEqualTo(first);
    }

    @Test
    void rejects_wrong_or_missing_credentials_with_401_even_when_the_body_is_malformed() {
        assertStatus(() -> new MailjetVerifier().verify(
                request("[{", Map.of("Authorization", basic(username, password + "x")))), 401);
        assertStatus(() -> new MailjetVerifier().verify(request("[{", Map.of())), 401);
    }

    @Test
    void fails_closed_with_401_when_no_credentials_are_configured() {
        WebhookRequest r = Requests.request("mailjet", utf8(SENT),
                Map.of("Authorization", basic(username, password)), Map.of("password", password));

        assertStatus(() -> new MailjetVerifier().verify(r), 401);
    }

    @Test
    void rejects_malformed_json_with_400() {
        assertStatus(() -> accept("[{\"event\": \"sent\","), 400);
        assertStatus(() -> accept("42"), 400);
    }

    @Test
    void rejects_a_wrong_content_type_with_415() {
        WebhookRequest r = request(SENT, Map.of("Authorization", basic(username, password), "Content-Type", "text/html"));

        new MailjetVerifier().verify(r);
        assertStatus(() -> new MailjetNormalizer().normalize(r), 415);
    }
}
