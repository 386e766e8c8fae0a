package com.emaileventhub.esp.mailgun;

import static com.emaileventhub.esp.Requests.assertRejected;
import static com.emaileventhub.esp.mailgun.MailgunPayloads.KEY;
import static com.emaileventhub.esp.mailgun.MailgunPayloads.MESSAGE_ID;
import static com.emaileventhub.esp.mailgun.MailgunPayloads.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class MailgunNormalizerTest {
    private static final String TS = "1710000000";
    private final MailgunNormalizer normalizer = new MailgunNormalizer();

    @Test
    void maps_every_documented_event_type() {
        assertThat(MailgunPayloads.ALL.stream().map(e -> one(e).type()).toList()).containsExactly(
                EventType.QUEUED, EventType.DELIVERED, EventType.BOUNCED, EventType.DEFERRED, EventType.REJECTED,
                EventType.OPENED, EventType.CLICKED, EventType.UNSUBSCRIBED, EventType.COMPLAINED, EventType.UNKNOWN);
    }

    @Test
    void delivered_reads_message_id_recipient_time_tags_variables_and_smtp_reply() throws Exception {
        CanonicalEvent e = one(MailgunPayloads.DELIVERED);
        assertThat(e.esp()).isEqualTo("mailgun");
        assertThat(e.messageId()).isEqualTo(MESSAGE_ID);
        assertThat(e.recipient()).isEqualTo("alice@example.com");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2018-03-19T15:11:02.908Z"));
        assertThat(e.espEventId()).isEqualTo("CPgfbmQMTCKtHW6uIWtuVe");
        assertThat(e.tags()).containsExactly("my_tag_1", "my_tag_2");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("my_var_1", "Mailgun Variable #1", "my-var-2", "awesome"));
        assertThat(e.mtaResponse()).isEqualTo("250 OK");
        assertThat(e.reason()).isNull();
        assertThat(e.ip()).as("the sending IP is not the client's").isNull();
        assertThat(e.raw()).isEqualTo(Json.MAPPER.readTree(MailgunPayloads.DELIVERED));
    }

    @Test
    void permanent_failure_is_a_hard_bounce_with_the_description_as_reason() {
        CanonicalEvent e = one(MailgunPayloads.FAILED_PERMANENT);
        assertThat(e.type()).isEqualTo(EventType.BOUNCED);
        assertThat(e.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(e.reason()).isEqualTo("Not delivering to previously bounced address");
        assertThat(e.mtaResponse()).isEqualTo("605");
    }

    @Test
    void permanent_smtp_failure_joins_code_and_message_as_mta_response() {
        CanonicalEvent e = one(MailgunPayloads.FAILED_PERMANENT_SMTP);
        assertThat(e.bounceType()).isEqualTo(BounceType.HARD);
        assertThat(e.reason()).isEqualTo("5.1.1 The email account that you tried to reach does not exist.");
        assertThat(e.mtaResponse()).isEqualTo("550 5.1.1 The email account that you tried to reach does not exist.");
    }

    @Test
    void temporary_failure_is_deferred_not_a_bounce() {
        CanonicalEvent e = one(MailgunPayloads.FAILED_TEMPORARY);
        assertThat(e.type()).isEqualTo(EventType.DEFERRED);
        assertThat(e.bounceType()).isNull();
        assertThat(e.reason()).isEqualTo("4.2.2 The email account that you tried to reach is over quota.");
        assertThat(e.mtaResponse()).isEqualTo("452 4.2.2 The email account that you tried to reach is over quota.");
    }

    @Test
    void rejected_without_recipient_falls_back_to_the_first_to_address() {
        CanonicalEvent e = one(MailgunPayloads.REJECTED);
        assertThat(e.type()).isEqualTo(EventType.REJECTED);
        assertThat(e.recipient()).isEqualTo("jane.smith@example.com");
        assertThat(e.reason()).startsWith("Sandbox subdomains are for test purposes only.");
        assertThat(e.tags()).isEmpty();
        assertThat(e.metadata()).isEmpty();
    }

    @Test
    void accepted_with_null_delivery_status_has_no_smtp_fields() {
        CanonicalEvent e = one(MailgunPayloads.ACCEPTED);
        assertThat(e.type()).isEqualTo(EventType.QUEUED);
        assertThat(e.mtaResponse()).isNull();
        assertThat(e.reason()).isNull();
    }

    @Test
    void opened_and_clicked_carry_client_user_agent_ip_and_exact_url() {
        CanonicalEvent opened = one(MailgunPayloads.OPENED);
        assertThat(opened.userAgent()).startsWith("Mozilla/5.0 (X11; Linux x86_64)");
        assertThat(opened.ip()).isEqualTo("50.56.129.169");
        assertThat(opened.url()).isNull();
        CanonicalEvent clicked = one(MailgunPayloads.CLICKED);
        assertThat(clicked.url()).isEqualTo("https://example.com/Promo?a=1&b=%7Ex");
        assertThat(clicked.ip()).isEqualTo("50.56.129.169");
    }

    @Test
    void nested_user_variables_are_kept_as_json_text() {
        CanonicalEvent e = one("""
                {"event":"delivered","id":"x1","timestamp":1521472262,"recipient":"a@b.com",\
                "user-variables":{"order":{"id":7},"n":3}}""");
        assertThat(e.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("order", "{\"id\":7}", "n", "3"));
    }

    @Test
    void unknown_event_becomes_unknown_and_keeps_its_fields() {
        CanonicalEvent e = one(MailgunPayloads.STORED);
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(e.messageId()).isEqualTo("x@y");
        assertThat(e.espEventId()).isEqualTo("czsjqFATSlC3QtAK-C80nw");
    }

    @Test
    void odd_event_data_becomes_unknown_instead_of_failing() {
        CanonicalEvent e = one("{\"event\":\"delivered\",\"timestamp\":\"yesterday\",\"recipient\":\"a@b.com\"}");
        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void same_payload_gives_the_same_id_and_the_event_id_takes_part() {
        String first = one(MailgunPayloads.OPENED).id();
        assertThat(one(MailgunPayloads.OPENED).id()).isEqualTo(first);
        String otherEvent = MailgunPayloads.OPENED.replace("Ase7i2zsRYeDXztHGENqRA", "Bse7i2zsRYeDXztHGENqRA");
        assertThat(one(otherEvent).id()).isNotEqualTo(first);
    }

    @Test
    void id_does_not_depend_on_the_signature_block() {
        String a = normalizer.normalize(request(MailgunPayloads.body(MailgunPayloads.OPENED, KEY, TS, TOKEN))).get(0).id();
        String b = normalizer.normalize(request(MailgunPayloads.body(MailgunPayloads.OPENED, KEY, "1710000100",
                "0123456789abcdef0123456789abcdef0123456789abcdef01"))).get(0).id();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void rejects_a_body_without_event_data_with_400() {
        WebhookRequest request = request("{\"signature\":{\"timestamp\":\"1\",\"token\":\"t\",\"signature\":\"s\"}}");
        assertRejected(() -> normalizer.normalize(request), 400, "bad_request");
        Assertions.assertThatThrownBy(() -> normalizer.normalize(request))
                .hasMessageContaining("event-data");
    }

    @Test
    void rejects_wrong_content_type_with_415() {
        WebhookRequest request = Requests.to("mailgun").header("Content-Type", "text/plain")
                .body(MailgunPayloads.body(MailgunPayloads.OPENED, KEY, TS, TOKEN));
        assertRejected(() -> normalizer.normalize(request), 415, "unsupported_media_type");
    }

    @Test
    void client_info_bot_marks_opens_and_clicks_machine_made_and_an_empty_bot_does_not() {
        assertThat(one(MailgunPayloads.OPENED).machine()).isFalse();
        CanonicalEvent apple = one(MailgunPayloads.OPENED.replace("\"client-type\":\"browser\",", "\"client-type\":\"browser\",\"bot\":\"apple\","));
        assertThat(apple.machine()).isTrue();
        assertThat(apple.machineReason()).isEqualTo("mailgun:bot=apple");
        CanonicalEvent scanner = one(MailgunPayloads.CLICKED.replace("\"client-type\":\"browser\",", "\"client-type\":\"browser\",\"bot\":\"generic\","));
        assertThat(scanner.machineReason()).isEqualTo("mailgun:bot=generic");
        assertThat(one(MailgunPayloads.CLICKED.replace("\"client-type\":\"browser\",", "\"client-type\":\"browser\",\"bot\":\"\","))
                .machine()).isFalse();
    }

    private CanonicalEvent one(String eventData) {
        List<CanonicalEvent> events = normalizer.normalize(request(MailgunPayloads.body(eventData, KEY, TS, TOKEN)));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static WebhookRequest request(String body) {
        return Requests.to("mailgun").json().body(body);
    }
}
