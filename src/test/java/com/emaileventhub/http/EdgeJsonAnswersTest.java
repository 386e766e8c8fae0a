package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What Vert.x would answer in text or HTML at the edge (unknown vendor, body too large) is JSON and counted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeJsonAnswersTest {
    private static final int LIMIT = 64 * 1024;
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of("hub.http.max-body-bytes", Integer.toString(LIMIT)));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void answers_an_unknown_vendor_with_json_404_counted_as_unknown() {
        double before = count("unknown", "not_found");
        HttpResponse<String> r = hub.post("/webhooks/nope", "application/json", "{}".getBytes());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"no webhook route at /webhooks/nope\"}");
        assertThat(hub.post("/webhooks/", "application/json", "{}".getBytes()).statusCode()).isEqualTo(404);
        assertThat(count("unknown", "not_found")).isEqualTo(before + 2);
    }

    @Test
    void answers_an_oversized_body_with_json_413_counted_for_its_vendor() {
        double before = count("sendgrid", "too_large");
        HttpResponse<String> r = hub.post("/webhooks/sendgrid", "application/json", new byte[LIMIT + 1]);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"body is larger than " + LIMIT + " bytes\"}");
        assertThat(count("sendgrid", "too_large")).isEqualTo(before + 1);
    }

    @Test
    void answers_an_oversized_chunked_body_with_json_413() throws Exception {
        String head = "POST /webhooks/brevo HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        byte[] chunk = new byte[LIMIT + 10];
        Arrays.fill(chunk, (byte) ' ');
        byte[] body = concat((Integer.toHexString(chunk.length) + "\r\n").getBytes(), chunk, "\r\n0\r\n\r\n".getBytes());
        RawHttp.Response r = RawHttp.send("127.0.0.1", "127.0.0.1", hub.port(), head, body, Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("{\"error\":\"body is larger than " + LIMIT + " bytes\"}");
    }

    private double count(String vendor, String reason) {
        return Metrics.value(hub.get("/observe/metrics").body(),
                "hub_webhooks_total{outcome=\"rejected\",reason=\"" + reason + "\",vendor=\"" + vendor + "\"}");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
