package com.emaileventhub.destination.analytics;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/** A Mixpanel-style /import endpoint on a JDK HttpServer: records every request, answers as told. */
public final class FakeImportApi implements AutoCloseable {
    /** One request as it arrived: raw headers and bytes, and the events it carried. */
    public record Received(String query, Headers headers, byte[] rawBody, List<JsonNode> events) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer ok(int n) {
            return new Answer(200, Map.of(), "{\"code\":200,\"num_records_imported\":" + n + ",\"status\":\"OK\"}");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> responder = r -> Answer.ok(r.events().size());
    private volatile boolean keep = true;
    private final AtomicLong eventCount = new AtomicLong();

    public FakeImportApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/import", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            byte[] json = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? gunzip(raw) : raw;
            List<JsonNode> events = new ArrayList<>();
            Json.MAPPER.readTree(json).forEach(events::add);
            Received r = new Received(exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), raw, events);
            eventCount.addAndGet(events.size());
            if (keep) {
                received.add(r);
            }
            Answer a = responder.apply(r);
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/import";
    }

    public void respond(Function<Received, Answer> responder) {
        this.responder = responder;
    }

    /** Benchmarks: count events but keep no request (memory). */
    public void keepRequests(boolean on) {
        keep = on;
    }

    public long eventCount() {
        return eventCount.get();
    }

    public void reset() {
        received.clear();
        responder = r -> Answer.ok(r.events().size());
    }

    public List<Received> received() {
        return received;
    }

    public static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
