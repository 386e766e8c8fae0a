package com.emaileventhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.http.TestCertificates.KeyFormat;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hub serving TLS itself from PEM files (hub.http.tls.cert-file / key-file), checked with real
 * TLS clients: webhooks over HTTPS, TLS 1.0 and 1.1 refused by the server, plain HTTP refused on the
 * port, and a renewed certificate (files replaced on disk) served to new connections without restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubTlsTest {
    private final Path dir = Path.of("target", "test-tls", UUID.randomUUID().toString()).toAbsolutePath();
    private X509Certificate first;
    private HubRunner hub;

    @BeforeAll
    void start() throws Exception {
        first = TestCertificates.write(dir, KeyFormat.PKCS8_RSA, 1001);
        hub = HubRunner.start(Map.of(
                "hub.http.tls.cert-file", dir.resolve("fullchain.pem").toString(),
                "hub.http.tls.key-file", dir.resolve("privkey.pem").toString(),
                "hub.http.tls.reload-interval", "PT0.2S",
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD));
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void stores_a_webhook_received_over_https() throws Exception {
        HttpClient client = client(TestCertificates.trusting(first));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(https("/webhooks/postmark"))
                .header("Content-Type", "application/json").header("Authorization", Postmark.auth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Postmark.delivery("m-over-tls", "tls@example.com"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(r.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
        HttpResponse<String> events = client.send(HttpRequest.newBuilder(https("/api/messages/m-over-tls/events"))
                .header("Authorization", "Bearer " + HubRunner.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("\"recipient\":\"tls@example.com\"");
    }

    @Test
    void refuses_tls_1_0_and_1_1_handshakes() throws Exception {
        assertThat(probe("TLSv1")).startsWith("FAILED").contains("Received fatal alert");
        assertThat(probe("TLSv1.1")).startsWith("FAILED").contains("Received fatal alert");
        assertThat(probe("TLSv1.2")).as("the same client with TLS 1.2 gets through").isEqualTo("OK TLSv1.2");
    }

    @Test
    void refuses_plain_http_on_the_tls_port() {
        assertThatThrownBy(() -> hub.get("/observe/health")).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void serves_a_renewed_certificate_to_new_connections_without_restart() throws Exception {
        X509Certificate second = TestCertificates.write(dir, KeyFormat.PKCS1_RSA, 2002);
        SSLContext trustAll = TestCertificates.trusting(first, second);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> servedSerial(trustAll).equals(BigInteger.valueOf(2002)));

        X509Certificate third = TestCertificates.write(dir, KeyFormat.SEC1_EC, 3003);
        SSLContext trustThird = TestCertificates.trusting(third);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> servedSerial(trustThird).equals(BigInteger.valueOf(3003)));

        // a renewal caught half-written (or broken) leaves the current certificate in place
        Files.writeString(dir.resolve("privkey.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        Files.setLastModifiedTime(dir.resolve("privkey.pem"),
                FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> servedSerial(trustThird).equals(BigInteger.valueOf(3003)));
    }

    private BigInteger servedSerial(SSLContext trust) throws Exception {
        HttpResponse<String> r = client(trust).send(HttpRequest.newBuilder(https("/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    /** A fresh client each time: a new connection and a new handshake. */
    private static HttpClient client(SSLContext trust) {
        return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private URI https(String path) {
        return URI.create("https://localhost:" + hub.port() + path);
    }

    /** A handshake from a separate JVM whose own TLS 1.0/1.1 ban is lifted: only the server can refuse then. */
    private String probe(String protocol) throws Exception {
        Path security = dir.resolve("legacy-tls.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.security.properties=" + security, "-cp",
                System.getProperty("java.class.path"), LegacyTlsProbe.class.getName(), "localhost",
                Integer.toString(hub.port()), protocol).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return out.lines().reduce((a, b) -> b).orElse(out);
    }
}
