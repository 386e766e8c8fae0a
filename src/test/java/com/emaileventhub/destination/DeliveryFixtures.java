package com.emaileventhub.destination;

import com.emaileventhub.Hub;
import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.Journal;
import com.emaileventhub.store.JournalSettings;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.RoutesCopy;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the delivery tests share: a copy of routes/ plus a fake destination route, hub start-up with fast delivery timings, and canonical events.
 */
public final class DeliveryFixtures {
    public static final String TOKEN = HubRunner.ADMIN_TOKEN;

    private DeliveryFixtures() {
    }

    /** A copy of routes/ plus routes/destinations/fake.camel.yaml calling bean fakeDestination. */
    public static Path routes() {
        Path target = RoutesCopy.of();
        try {
            Files.writeString(target.resolve("destinations/fake.camel.yaml"), """
                    - route:
                        id: deliver-fake
                        routeConfigurationId: delivery-errors
                        from:
                          uri: direct:deliver-fake
                          steps:
                            - bean:
                                ref: fakeDestination
                                method: accept
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Overrides for a hub on dbUrl with fast polling and short back-off; more overrides win. */
    public static Map<String, String> overrides(String dbUrl, Path routes, String... more) {
        Map<String, String> o = HubRunner.basics(dbUrl);
        o.put("hub.db.password", "");
        o.put("hub.routes.dir", routes.toString());
        o.put("hub.delivery.poll-interval", "PT0.05S");
        o.put("hub.delivery.backoff", "PT0.2S");
        o.put("hub.delivery.max-backoff", "PT1S");
        o.put("hub.delivery.gauge-interval", "PT0.1S");
        o.put("camel.beans.fakeDestination", "#class:" + FakeDestination.class.getName());
        for (String kv : more) {
            int eq = kv.indexOf('=');
            o.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return o;
    }

    /** A fixture hub on a fresh database of one kind; closing it stops the hub and drops that database. */
    public record Running(Hub hub, String dbUrl) implements AutoCloseable {
        @Override
        public void close() {
            hub.close();
            TestDatabases.drop(dbUrl);
        }
    }

    /** The fixture routes (with the fake destination) on a fresh database of {@code kind}. */
    public static Running startOn(TestDatabases.Kind kind, String... overrides) throws Exception {
        String dbUrl = kind.freshUrl();
        return new Running(start(overrides(dbUrl, routes(), overrides)), dbUrl);
    }

    /** As {@link #startOn(TestDatabases.Kind, String...)}, the keys of a test class first, then a test's own. */
    public static Running startOn(TestDatabases.Kind kind, List<String> keys, String... overrides) throws Exception {
        List<String> all = new ArrayList<>(keys);
        all.addAll(List.of(overrides));
        return startOn(kind, all.toArray(String[]::new));
    }

    public static Hub start(Map<String, String> overrides) throws Exception {
        return new Hub(HubConfig.load(overrides)).start();
    }

    public static FakeDestination fake(Hub hub) {
        return hub.context().getRegistry().lookupByNameAndType("fakeDestination", FakeDestination.class);
    }

    public static int port(Hub hub) {
        return Integer.parseInt(hub.config().get("hub.http.port"));
    }

    public static CanonicalEvent event(String recipient, EventType type, BounceType bounce, Instant occurredAt) {
        return CanonicalEvent.builder("test").type(type).bounceType(bounce).recipient(recipient)
                .messageId("m-" + UUID.randomUUID()).occurredAt(occurredAt).tag("t1").metadata("k", "v")
                .build(Instant.now(), occurredAt);
    }

    public static List<CanonicalEvent> events(int n, EventType type) {
        List<CanonicalEvent> out = new ArrayList<>();
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(event("user" + i + "@example.com", type, null, base.plusMillis(i)));
        }
        return out;
    }

    /** Stores events in the journal, queued for the given destinations (as intake does after the fan-out). */
    public static void store(Database db, List<CanonicalEvent> events, String... destinations) {
        Map<String, List<String>> dest = new LinkedHashMap<>();
        events.forEach(e -> dest.put(e.id(), List.of(destinations)));
        new Journal(db).store("test", null, events, dest, Instant.now());
    }

    /**
     * Stores events as intake does with the hub's routed destinations (leads, suppression): the choice of those on the
     * journal row, of the others in the outbox.
     */
    public static void storeRouted(Database db, List<CanonicalEvent> events, String... destinations) {
        Map<String, List<String>> dest = new LinkedHashMap<>();
        events.forEach(e -> dest.put(e.id(), List.of(destinations)));
        new Journal(db, JournalSettings.from(HubConfig.load(Map.of())), Set.of("leads", "suppression"))
                .store("test", null, events, dest, Instant.now());
    }

    public static HttpResponse<String> call(Hub hub, String method, String pathAndQuery) {
        return HubRunner.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(hub) + pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** POSTs a Postmark webhook (the credentials of {@link Postmark}) to the hub, asserted 200. */
    public static void postPostmark(Hub hub, byte[] body) {
        HttpResponse<String> r = HubRunner.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port(hub) + "/webhooks/postmark"))
                .header("Content-Type", "application/json").header("Authorization", Postmark.auth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("the Postmark webhook answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** One destination's value of a delivery meter of /observe/metrics (hub_delivery_retried_total, ...). */
    public static double deliveryMetric(Hub hub, String meter, String destination) {
        return Metrics.value(call(hub, "GET", "/observe/metrics").body(), meter + "{destination=\"" + destination + "\"}");
    }

    /** The configuration error a destination's worker reports (null while it has none). */
    public static String configurationError(Hub hub, String destination) {
        return hub.delivery().engine().worker(destination).status().configurationError();
    }

    /** {@code status:attempts} of each queue item of a destination. */
    public static List<String> statusAndAttempts(Hub hub, String destination) {
        return Rows.strings(hub.database().dataSource(),
                "SELECT status || ':' || attempts FROM hub_delivery WHERE destination = ?", destination);
    }

    /** GET of an API path with the admin token, asserted 200, read as JSON. */
    public static JsonNode json(Hub hub, String pathAndQuery) {
        HttpResponse<String> response = call(hub, "GET", pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
