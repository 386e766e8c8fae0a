package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * hub.http.require-https behind a TLS-terminating proxy (127.0.0.9): webhooks that did not reach the
 * proxy over HTTPS, or that bypass it, are refused; X-Forwarded-Proto counts only from the proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequireHttpsTest {
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of("hub.http.require-https", "true", "hub.http.trusted-proxies", "127.0.0.9",
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void accepts_a_webhook_the_trusted_proxy_received_over_https() throws Exception {
        RawHttp.Response r = postmark("127.0.0.9", "https");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void refuses_plain_http_and_a_forged_forwarded_proto_with_403() throws Exception {
        double before = Metrics.value(hub.get("/observe/metrics").body(),
                "hub_webhooks_total{outcome=\"rejected\",reason=\"https_required\",vendor=\"postmark\"}");
        RawHttp.Response viaProxyPlain = postmark("127.0.0.9", "http");
        assertThat(viaProxyPlain.status()).isEqualTo(403);
        assertThat(viaProxyPlain.body()).isEqualTo("{\"error\":\"webhooks are accepted over HTTPS only\"}");
        assertThat(postmark("127.0.0.3", "https").status()).as("not the proxy: its header means nothing").isEqualTo(403);
        assertThat(Metrics.value(hub.get("/observe/metrics").body(),
                "hub_webhooks_total{outcome=\"rejected\",reason=\"https_required\",vendor=\"postmark\"}")).isEqualTo(before + 2);
    }

    @Test
    void leaves_the_other_endpoints_alone() {
        assertThat(hub.get("/observe/health").statusCode()).isEqualTo(200);
    }

    private RawHttp.Response postmark(String from, String proto) throws Exception {
        return RawHttp.post(from, "127.0.0.1", hub.port(), "/webhooks/postmark",
                Map.of("Content-Type", "application/json", "Authorization", Postmark.auth(), "X-Forwarded-Proto", proto),
                Postmark.delivery("m-" + System.nanoTime(), "jane@example.com"));
    }
}
