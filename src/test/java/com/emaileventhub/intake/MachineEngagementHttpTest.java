package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.StoredEvents;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hub's machine heuristics on webhooks posted over HTTP (Postmark, which flags nothing itself): Apple
 * proxy opens, scanner user agents, and clicks within hub.insight.scanner-click-seconds of the stored delivery.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class MachineEngagementHttpTest {
    @Parameter
    TestDatabases.Kind kind;
    private HubRunner hub;
    private String dbUrl;

    @BeforeEach
    void start() {
        dbUrl = kind.freshUrl();
        hub = HubRunner.start(Map.of("hub.db.url", dbUrl, "hub.db.username", TestDatabases.user(dbUrl),
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD,
                "hub.insight.scanner-click-seconds", "3"));
    }

    @AfterEach
    void stop() {
        hub.close();
        TestDatabases.drop(dbUrl);
    }

    @Test
    void an_apple_proxy_open_and_a_scanner_click_are_machine_made_and_a_browser_open_is_not() {
        String id = UUID.randomUUID().toString();
        post(open(id, "Mozilla/5.0", "198.51.100.7", "12:00:00"));
        post(open(id, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", "17.58.1.2", "12:01:00"));
        post(open(id, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0", "198.51.100.7", "12:02:00"));
        post(click(id, "Mozilla/5.0 (compatible; Barracuda Sentinel)", "12:03:00"));
        assertThat(reasons(id)).containsExactly("apple_mpp_proxy", "apple_mpp_proxy", null, "scanner_user_agent");
    }

    @Test
    void a_click_within_the_configured_seconds_of_the_stored_delivery_is_a_scanners_and_a_later_one_is_human() {
        String id = UUID.randomUUID().toString();
        post(delivery(id, "12:00:00"));
        post(click(id, "Mozilla/5.0 (Macintosh) Safari/605.1.15", "12:00:02"));
        post(click(id.toUpperCase(), "Mozilla/5.0 (Macintosh) Safari/605.1.15", "12:00:01"));   // another message
        post(click(id, "Mozilla/5.0 (Macintosh) Safari/605.1.15", "12:00:04"));
        assertThat(reasons(id)).containsExactly(null, "click_after_delivery", null);
        assertThat(reasons(id.toUpperCase())).containsExactly((String) null);
    }

    private List<String> reasons(String messageId) {
        return StoredEvents.events(hub.dataSource(), "message_id = ?", messageId).stream()
                .map(e -> {
                    assertThat(e.get("machine").asBoolean()).isEqualTo(!e.get("machine_reason").isNull());
                    return e.get("machine_reason").isNull() ? null : e.get("machine_reason").asText();
                }).toList();
    }

    private void post(String body) {
        HttpResponse<String> r = hub.post("/webhooks/postmark", "application/json", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", Postmark.auth());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String delivery(String id, String time) {
        return "{\"RecordType\":\"Delivery\",\"MessageID\":\"" + id + "\",\"Recipient\":\"r@example.com\","
                + "\"DeliveredAt\":\"2026-03-04T" + time + "Z\",\"Details\":\"ok\",\"MessageStream\":\"outbound\"}";
    }

    private static String open(String id, String agent, String ip, String time) {
        return "{\"RecordType\":\"Open\",\"MessageID\":\"" + id + "\",\"Recipient\":\"r@example.com\",\"ReceivedAt\":"
                + "\"2026-03-04T" + time + "Z\",\"UserAgent\":\"" + agent + "\",\"Geo\":{\"IP\":\"" + ip + "\"},"
                + "\"MessageStream\":\"outbound\"}";
    }

    private static String click(String id, String agent, String time) {
        return "{\"RecordType\":\"Click\",\"MessageID\":\"" + id + "\",\"Recipient\":\"r@example.com\",\"ReceivedAt\":"
                + "\"2026-03-04T" + time + "Z\",\"UserAgent\":\"" + agent + "\",\"OriginalLink\":\"https://example.com/x\","
                + "\"ClickLocation\":\"HTML\",\"MessageStream\":\"outbound\"}";
    }
}
