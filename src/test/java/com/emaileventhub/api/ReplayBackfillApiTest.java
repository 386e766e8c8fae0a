package com.emaileventhub.api;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.event;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.destination.FakeDestination;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /api/deliveries/replay by event id and occurrence time, and POST /api/deliveries/backfill, on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class ReplayBackfillApiTest {
    private static final String READ = "reader-token";
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Parameter
    TestDatabases.Kind kind;
    @AutoClose
    private DeliveryFixtures.Running running;
    private Hub hub;
    private FakeDestination fake;

    @BeforeEach
    void start() throws Exception {
        running = DeliveryFixtures.startOn(kind, "hub.delivery.max-attempts=1", "hub.api.read-token=" + READ);
        hub = running.hub();
        fake = fake(hub);
    }

    @Test
    void a_replay_of_what_a_routed_cursor_delivered_queues_those_events_again_from_the_journal() throws Exception {
        List<CanonicalEvent> opens = List.of(event("a@example.com", EventType.OPENED, null, T),
                event("b@example.com", EventType.OPENED, null, T.plusSeconds(3600)),
                event("c@example.com", EventType.OPENED, null, T.plusSeconds(7200)));
        DeliveryFixtures.storeRouted(hub.database(), opens, "leads");
        DeliveryFixtures.storeRouted(hub.database(), List.of(event("d@example.com", EventType.DELIVERED, null, T)));
        await().atMost(15, TimeUnit.SECONDS).until(() ->
                new JournalCursor(hub.database(), "leads", true).backlog().pending() == 0);
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isZero();

        // the three opens its cursor took, not the delivery routed to no one
        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=leads&status=delivered"))).isEqualTo(3);
        await().atMost(15, TimeUnit.SECONDS).until(() -> Rows.strings(hub.database().dataSource(),
                "SELECT status FROM hub_delivery WHERE destination = 'leads'").equals(List.of("delivered", "delivered",
                "delivered")));
        // once in the outbox, a replay takes the items there and queues nothing twice
        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=leads&event_id=" + opens.get(1).id())))
                .isEqualTo(1);
        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=leads&status=dead"))).isZero();
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(3);
    }

    @Test
    void replay_takes_one_event_by_id_or_the_events_that_occurred_in_a_window() throws Exception {
        fake.alwaysFail = true;
        List<CanonicalEvent> events = List.of(event("a@example.com", EventType.OPENED, null, T),
                event("b@example.com", EventType.OPENED, null, T.plusSeconds(3600)),
                event("c@example.com", EventType.OPENED, null, T.plusSeconds(7200)));
        store(hub.database(), events, "fake");
        await().atMost(15, TimeUnit.SECONDS).until(() -> Json.MAPPER.readTree(
                call(hub, "GET", "/api/deliveries?destination=fake&status=dead").body()).get("deliveries").size() == 3);
        fake.alwaysFail = false;

        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=fake&event_id=" + events.get(0).id())))
                .isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.delivered.containsKey(events.get(0).id()));
        assertThat(fake.delivered.keySet()).containsExactly(events.get(0).id());

        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=fake"
                + "&occurred_since=2026-03-01T10:30:00Z&occurred_until=2026-03-01T11:30:00Z"))).isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.delivered.containsKey(events.get(1).id()));
        assertThat(fake.delivered).doesNotContainKey(events.get(2).id());

        // one event by id is replayed whether dead or delivered; a window takes the dead ones by default
        await().atMost(5, TimeUnit.SECONDS).until(() -> requeued(call(hub, "POST",
                "/api/deliveries/replay?destination=fake&event_id=" + events.get(1).id())) == 1);
        assertThat(requeued(call(hub, "POST", "/api/deliveries/replay?destination=fake&occurred_since=2026-03-01T10:30:00Z")))
                .isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.delivered.containsKey(events.get(2).id())
                && fake.delivered.get(events.get(1).id()).get() == 2);
        assertThat(fake.delivered.get(events.get(0).id()).get()).isEqualTo(1);
    }

    @Test
    void backfill_queues_the_journal_events_a_destination_never_had_once() throws Exception {
        List<CanonicalEvent> old = List.of(event("a@example.com", EventType.CLICKED, null, T),
                event("b@example.com", EventType.CLICKED, null, T.plusSeconds(1)));
        store(hub.database(), old);   // in the journal, queued for no destination
        CanonicalEvent had = event("c@example.com", EventType.CLICKED, null, T.plusSeconds(2));
        store(hub.database(), List.of(had), "fake");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.delivered.containsKey(had.id()));

        assertThat(queued(call(hub, "POST", "/api/deliveries/backfill?destination=fake&since=2099-01-01T00:00:00Z")))
                .isZero();
        assertThat(queued(call(hub, "POST", "/api/deliveries/backfill?destination=fake&since=2000-01-01T00:00:00Z")))
                .isEqualTo(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.total() == 3);
        assertThat(queued(call(hub, "POST", "/api/deliveries/backfill?destination=fake&since=2000-01-01T00:00:00Z")))
                .isZero();
        assertThat(fake.delivered.keySet()).containsExactlyInAnyOrder(old.get(0).id(), old.get(1).id(), had.id());
        assertThat(fake.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void unknown_destinations_are_404_bad_parameters_400_and_a_read_token_403() throws Exception {
        assertError(call(hub, "POST", "/api/deliveries/replay?destination=nope"), 404, "unknown destination nope");
        assertThat(call(hub, "POST", "/api/deliveries/replay?destination=nope").body()).contains("fake", "archive");
        assertError(call(hub, "POST", "/api/deliveries/backfill?destination=nope&since=2000-01-01T00:00:00Z"), 404,
                "unknown destination nope");
        assertError(call(hub, "POST", "/api/deliveries/replay?destination=fake&event_id=xyz"), 400,
                "parameter event_id: not an event id");
        assertError(call(hub, "POST", "/api/deliveries/replay?destination=fake&occurred_since=2026-03-02T00:00:00Z"
                + "&occurred_until=2026-03-01T00:00:00Z"), 400, "parameter occurred_until: must be later than occurred_since");
        assertError(call(hub, "POST", "/api/deliveries/replay?destination=fake&occurred_since=yesterday"), 400,
                "parameter occurred_since: not an RFC 3339 timestamp");
        assertError(call(hub, "POST", "/api/deliveries/backfill?destination=fake"), 400, "parameter since: required");
        assertError(call(hub, "POST", "/api/deliveries/backfill?destination=fake&since=2026-03-02T00:00:00Z"
                + "&until=2026-03-01T00:00:00Z"), 400, "parameter until: must be later than since");
        assertError(call(hub, "POST", "/api/deliveries/backfill?since=2026-03-02T00:00:00Z"), 400,
                "parameter destination: required");
        for (String path : List.of("/api/deliveries/backfill?destination=fake&since=2000-01-01T00:00:00Z",
                "/api/deliveries/replay?destination=fake")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + DeliveryFixtures.port(hub) + path))
                    .header("Authorization", "Bearer " + READ).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(r, 403, "may only read");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.MAPPER.readTree(r.body()).get("error").asText()).contains(message);
    }

    private static int requeued(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("requeued").asInt();
    }

    private static int queued(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("queued").asInt();
    }
}
