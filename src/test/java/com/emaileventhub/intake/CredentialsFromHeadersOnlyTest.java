package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Signing;
import com.emaileventhub.support.StoredEvents;
import com.emaileventhub.verify.Hmac;
import com.emaileventhub.verify.StandardWebhooks;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signature and credential material counts only in the HTTP headers (or, for Mailgun and SES, the body) where
 * the vendor puts it: the same material in the query string is refused with 401 and nothing is stored. Each
 * vendor's request is first sent with its credentials in the query string, then, as the control, in the
 * headers, where the very same request is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialsFromHeadersOnlyTest {
    private static final String MANDRILL_URL = "https://hub.example.com/webhooks/mandrill";
    private final KeyPair sendgridKey = Signing.ecKeyPair();
    private final String secret = random();
    private final String resendSecret = "whsec_" + Base64.getEncoder().encodeToString(random().getBytes(StandardCharsets.UTF_8));
    private HubRunner hub;

    /** One vendor's webhook: its body, the credential material, and whether a control request can be signed here. */
    record Case(String vendor, String contentType, String body, Map<String, String> credentials, boolean control) {
        @Override
        public String toString() {
            return vendor;
        }
    }

    @BeforeAll
    void start() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hub.esp.sendgrid.public-key", Base64.getEncoder().encodeToString(sendgridKey.getPublic().getEncoded()));
        config.put("hub.esp.postmark.username", Postmark.USER);
        config.put("hub.esp.postmark.password", Postmark.PASSWORD);
        for (String basic : List.of("sparkpost", "mailjet", "brevo")) {
            config.put("hub.esp." + basic + ".username", "user-" + basic);
            config.put("hub.esp." + basic + ".password", secret);
        }
        config.put("hub.esp.brevo.token", secret);
        config.put("hub.esp.mandrill.webhook-key", secret);
        config.put("hub.esp.mandrill.webhook-url", MANDRILL_URL);
        config.put("hub.esp.resend.secret", resendSecret);
        config.put("hub.esp.mailgun.signing-key", secret);
        config.put("hub.esp.ses.topic-arns", "arn:aws:sns:us-east-1:123456789012:ses-events");
        config.put("hub.esp.ses.auto-confirm", "false");
        config.put("hub.esp.mailersend.secret", secret);
        hub = HubRunner.start(config);
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    Stream<Case> vendors() {
        String id = UUID.randomUUID().toString();
        long now = Instant.now().getEpochSecond();
        List<Case> cases = new ArrayList<>();

        String sendgrid = "[{\"email\":\"q@example.com\",\"timestamp\":" + now + ",\"event\":\"delivered\",\"sg_event_id\":\""
                + id + "\",\"sg_message_id\":\"sg-" + id + "\"}]";
        cases.add(new Case("sendgrid", "application/json", sendgrid, Map.of(
                "X-Twilio-Email-Event-Webhook-Signature", ecdsa(Long.toString(now), sendgrid),
                "X-Twilio-Email-Event-Webhook-Timestamp", Long.toString(now)), true));

        cases.add(new Case("postmark", "application/json",
                new String(Postmark.delivery("pm-" + id, "q@example.com"), StandardCharsets.UTF_8),
                Map.of("Authorization", Postmark.auth()), true));

        cases.add(new Case("sparkpost", "application/json", "[{\"msys\":{\"message_event\":{\"type\":\"delivery\",\"event_id\":\""
                + id + "\",\"message_id\":\"sp-" + id + "\",\"rcpt_to\":\"q@example.com\",\"timestamp\":\"" + now + "\"}}}]",
                Map.of("Authorization", basic("user-sparkpost")), true));

        String events = "[{\"event\":\"send\",\"_id\":\"md-" + id + "\",\"ts\":" + now + ",\"msg\":{\"_id\":\"md-" + id
                + "\",\"ts\":" + now + ",\"email\":\"q@example.com\",\"state\":\"sent\"}}]";
        cases.add(new Case("mandrill", "application/x-www-form-urlencoded",
                "mandrill_events=" + URLEncoder.encode(events, StandardCharsets.UTF_8),
                Map.of("X-Mandrill-Signature", Hmac.encode(Hmac.compute(Hmac.Algorithm.SHA1, utf8(secret),
                        utf8(MANDRILL_URL + "mandrill_events" + events)), Hmac.Encoding.BASE64)), true));

        cases.add(new Case("brevo", "application/json", "{\"event\":\"delivered\",\"email\":\"q@example.com\",\"id\":1,"
                + "\"message-id\":\"<br-" + id + ">\",\"ts_epoch\":" + now * 1000 + "}",
                Map.of("Authorization", "Bearer " + secret), true));

        String resend = "{\"type\":\"email.delivered\",\"created_at\":\"" + Instant.ofEpochSecond(now) + "\",\"data\":{\"email_id\":\"rs-"
                + id + "\",\"to\":[\"q@example.com\"],\"created_at\":\"" + Instant.ofEpochSecond(now) + "\"}}";
        String svixId = "msg_" + id;
        cases.add(new Case("resend", "application/json", resend, Map.of("svix-id", svixId,
                "svix-timestamp", Long.toString(now),
                "svix-signature", StandardWebhooks.sign(resendSecret, svixId, Long.toString(now), utf8(resend))), true));

        cases.add(new Case("mailjet", "application/json", "{\"event\":\"sent\",\"time\":" + now
                + ",\"MessageID\":" + Math.abs(id.hashCode()) + ",\"email\":\"q@example.com\"}",
                Map.of("Authorization", basic("user-mailjet")), true));

        String mailersend = "{\"type\":\"activity.delivered\",\"data\":{\"id\":\"ms-" + id + "\",\"type\":\"delivered\","
                + "\"created_at\":\"" + Instant.ofEpochSecond(now) + "\",\"email\":{\"message\":{\"id\":\"ms-" + id + "\"},"
                + "\"recipient\":{\"email\":\"q@example.com\"}}}}";
        cases.add(new Case("mailersend", "application/json", mailersend, Map.of("Signature", Hmac.encode(
                Hmac.compute(Hmac.Algorithm.SHA256, utf8(secret), utf8(mailersend)), Hmac.Encoding.HEX)), true));

        // Mailgun signs in the body: the signature field moved from there to the query string
        String token = random();
        String mailgunSignature = Hmac.encode(Hmac.compute(Hmac.Algorithm.SHA256, utf8(secret), utf8(now + token)),
                Hmac.Encoding.HEX);
        String eventData = "{\"event\":\"delivered\",\"id\":\"mg-" + id + "\",\"timestamp\":" + now + ",\"recipient\":"
                + "\"q@example.com\",\"message\":{\"headers\":{\"message-id\":\"mg-" + id + "\"}}}";
        cases.add(new Case("mailgun", "application/json", "{\"signature\":{\"timestamp\":\"" + now + "\",\"token\":\"" + token
                + "\"},\"event-data\":" + eventData + "}", Map.of("signature", mailgunSignature), false));

        // SES (SNS) signs in the body too: its Signature and certificate URL offered in the query string instead
        cases.add(new Case("ses", "text/plain", "{\"Type\":\"Notification\",\"MessageId\":\"" + id + "\",\"TopicArn\":"
                + "\"arn:aws:sns:us-east-1:123456789012:ses-events\",\"Message\":\"{}\",\"Timestamp\":\""
                + Instant.ofEpochSecond(now) + "\",\"SignatureVersion\":\"1\"}", Map.of("Signature",
                Base64.getEncoder().encodeToString(new byte[256]), "SigningCertURL",
                "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem"), false));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void credentials_in_the_query_string_are_refused_with_401_and_nothing_is_stored(Case c) {
        Instant since = Instant.now().minusMillis(1);
        StringBuilder query = new StringBuilder();
        c.credentials().forEach((name, value) -> query.append(query.length() == 0 ? "?" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpResponse<String> refused = hub.post("/webhooks/" + c.vendor() + query, c.contentType(), utf8(c.body()));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.body()).startsWith("{\"error\":");
        assertThat(StoredEvents.since(hub.dataSource(), c.vendor(), since)).isEmpty();

        if (c.control()) {
            List<String> headers = new ArrayList<>();
            c.credentials().forEach((name, value) -> {
                headers.add(name);
                headers.add(value);
            });
            HttpResponse<String> accepted = hub.post("/webhooks/" + c.vendor(), c.contentType(), utf8(c.body()),
                    headers.toArray(String[]::new));
            assertThat(accepted.statusCode()).as("control with the same material in headers: " + accepted.body())
                    .isEqualTo(200);
            assertThat(accepted.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
            assertThat(StoredEvents.since(hub.dataSource(), c.vendor(), since)).hasSize(1);
        }
    }

    private String basic(String username) {
        return "Basic " + Base64.getEncoder().encodeToString(utf8(username + ":" + secret));
    }

    private String ecdsa(String timestamp, String body) {
        return Signing.ecdsa(sendgridKey.getPrivate(), utf8(timestamp + body));
    }

    private static String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
