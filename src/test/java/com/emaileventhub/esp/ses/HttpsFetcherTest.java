package com.emaileventhub.esp.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real fetcher against a local server (URL validation happens before it, so plain http is fine here). */
class HttpsFetcherTest {
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cert.pem", exchange -> reply(exchange, 200, "PEM".getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/moved.pem", exchange -> {
            exchange.getResponseHeaders().add("Location", base.resolve("/cert.pem").toString());
            reply(exchange, 302, new byte[0]);
        });
        server.createContext("/huge.pem", exchange -> reply(exchange, 200, new byte[200_000]));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body)
            throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void returns_status_and_body() throws IOException {
        SnsFetcher.Response response = new HttpsFetcher().get(base.resolve("/cert.pem"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).asString(StandardCharsets.US_ASCII).isEqualTo("PEM");
    }

    @Test
    void does_not_follow_redirects_away_from_the_validated_url() throws IOException {
        assertThat(new HttpsFetcher().get(base.resolve("/moved.pem")).status()).isEqualTo(302);
    }

    @Test
    void refuses_an_oversized_body() {
        assertThatThrownBy(() -> new HttpsFetcher().get(base.resolve("/huge.pem"))).isInstanceOf(IOException.class);
    }
}
