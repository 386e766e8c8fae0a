package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * hub.esp.NAME.allowed-ips with real sockets from several loopback addresses: 127.0.0.2 is allowed,
 * 127.0.0.3 is not; 127.0.0.9 is a trusted proxy whose X-Forwarded-For is believed, 127.0.0.3 is
 * not a proxy, so what it writes there is ignored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookAllowListTest {
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of(
                "camel.server.host", "::",
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD,
                "hub.esp.postmark.allowed-ips", "127.0.0.2/32, 198.51.100.0/24, ::1",
                "hub.esp.mailersend.secret", "ms-secret",
                "hub.esp.mailersend.allowed-ips", "127.0.0.2",
                "hub.http.trusted-proxies", "127.0.0.9/32"));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void accepts_a_webhook_from_an_allowed_address() throws Exception {
        RawHttp.Response r = postmark("127.0.0.2", "127.0.0.1", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
    }

    @Test
    void refuses_a_webhook_from_elsewhere_with_403_json_and_counts_it() throws Exception {
        double before = rejected("postmark");
        RawHttp.Response r = postmark("127.0.0.3", "127.0.0.1", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"source address is not in the allow-list of postmark\"}");
        assertThat(rejected("postmark")).isEqualTo(before + 1);
    }

    @Test
    void refuses_before_reading_the_body() throws Exception {
        String head = "POST /webhooks/postmark HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                + "Authorization: " + Postmark.auth() + "\r\nContent-Length: 5242880\r\n\r\n";
        // 5 MB announced, not a byte sent: only an answer given before the body can arrive
        RawHttp.Response r = RawHttp.send("127.0.0.3", "127.0.0.1", hub.port(), head, null, Duration.ofSeconds(3));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(r.millis()).isLessThan(2_000);
    }

    @Test
    void applies_to_vendors_declared_in_yaml() throws Exception {
        RawHttp.Response r = RawHttp.post("127.0.0.3", "127.0.0.1", hub.port(), "/webhooks/mailersend",
                Map.of("Content-Type", "application/json", "Signature", "00"), "{}".getBytes());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("allow-list of mailersend");
        RawHttp.Response allowed = RawHttp.post("127.0.0.2", "127.0.0.1", hub.port(), "/webhooks/mailersend",
                Map.of("Content-Type", "application/json", "Signature", "00"), "{}".getBytes());
        assertThat(allowed.status()).as("past the gate, the signature check answers").isEqualTo(401);
    }

    @Test
    void matches_ipv6_sources() throws Exception {
        RawHttp.Response r = postmark("::1", "::1", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void believes_x_forwarded_for_only_from_a_trusted_proxy() throws Exception {
        // the proxy appended the real client (198.51.100.7); the client itself forged 127.0.0.2 further left
        RawHttp.Response viaProxy = postmark("127.0.0.9", "127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.3, 198.51.100.7"));
        assertThat(viaProxy.status()).as(viaProxy.body()).isEqualTo(200);
        RawHttp.Response forgedBehindProxy = postmark("127.0.0.9", "127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.2, 203.0.113.5"));
        assertThat(forgedBehindProxy.status()).isEqualTo(403);
        RawHttp.Response forgedDirect = postmark("127.0.0.3", "127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.2"));
        assertThat(forgedDirect.status()).isEqualTo(403);
    }

    private RawHttp.Response postmark(String from, String host, Map<String, String> extra) throws Exception {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", Postmark.auth());
        return RawHttp.post(from, host, hub.port(), "/webhooks/postmark", headers,
                Postmark.delivery("m-" + System.nanoTime(), "jane@example.com"));
    }

    private double rejected(String vendor) {
        String metrics = hub.get("/observe/metrics").body();
        return Metrics.value(metrics, "hub_webhooks_total{outcome=\"rejected\",reason=\"ip_not_allowed\",vendor=\"" + vendor + "\"}");
    }
}
