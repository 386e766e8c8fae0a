package com.emaileventhub.destination.alert;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slack, PagerDuty and a generic webhook receiver at the HTTP level (JDK HttpServer): records each accepted
 * request's JSON body and headers per path; {@link #failFirst} requests of a path are answered 503 first.
 */
public final class FakeChannels implements AutoCloseable {
    /** One accepted request. */
    public record Request(JsonNode body, String raw, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    static final List<String> PATHS = List.of("/slack", "/pagerduty", "/webhook");
    final Map<String, List<Request>> received = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> failFirst = new ConcurrentHashMap<>();
    private final HttpServer server;

    public FakeChannels() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String path : PATHS) {
            received.put(path, new CopyOnWriteArrayList<>());
            failFirst.put(path, new AtomicInteger());
            server.createContext(path, exchange -> {
                String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (failFirst.get(path).getAndDecrement() > 0) {
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    received.get(path).add(new Request(Json.MAPPER.readTree(raw), raw, exchange.getRequestHeaders()));
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(path.equals("/pagerduty") ? 202 : 200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
                exchange.close();
            });
        }
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Hub overrides that point every channel here. */
    String[] overrides(String... more) {
        List<String> o = new ArrayList<>(List.of("hub.alerts.slack-url=" + url("/slack"),
                "hub.alerts.pagerduty-routing-key=R0UT1NGKEY", "hub.alerts.pagerduty-url=" + url("/pagerduty"),
                "hub.alerts.webhook-url=" + url("/webhook"), "hub.alerts.webhook-secret=" + SECRET,
                "hub.alerts.interval=PT1H"));
        o.addAll(List.of(more));
        return o.toArray(String[]::new);
    }

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public List<Request> at(String path) {
        return received.get(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
