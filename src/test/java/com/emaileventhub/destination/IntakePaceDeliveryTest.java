package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.IntakePace;
import com.emaileventhub.store.Journal;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Intake paced to the journal-fed destinations (hub.journal.max-lag), through the real engine and a real webhook: a
 * destination more than the bound behind holds the webhook's group commit until it catches up; a destination whose
 * rounds fail (an outage) does not hold intake at all.
 */
class IntakePaceDeliveryTest {
    private static final String GATED_INSIGHT = """
            - route:
                id: deliver-insight
                routeConfigurationId: delivery-errors
                from:
                  uri: direct:deliver-insight
                  steps:
                    - bean:
                        ref: gatedFigures
                        method: check
                    - bean:
                        ref: insightStore
                        method: "apply(${body}, ${exchangeProperty.hubJournalAdvance})"
            """;

    private static DeliveryFixtures.Running start(TestDatabases.Kind kind) throws Exception {
        Path routes = DeliveryFixtures.routes();
        Files.writeString(routes.resolve("destinations/insight.camel.yaml"), GATED_INSIGHT);
        String url = kind.freshUrl();
        // the pace-wait is longer than the request deadline (8 s): a group held to the end would answer 503
        return new DeliveryFixtures.Running(DeliveryFixtures.start(DeliveryFixtures.overrides(url, routes,
                "camel.beans.gatedFigures=#class:" + GatedFigures.class.getName(),
                "hub.journal.max-lag=PT5S", "hub.journal.pace-wait=PT20S", "hub.insight.batch-size=2",
                "hub.esp.postmark.username=" + Postmark.USER, "hub.esp.postmark.password=" + Postmark.PASSWORD)), url);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_destination_beyond_the_bound_holds_the_webhook_until_it_catches_up(TestDatabases.Kind kind) throws Exception {
        try (DeliveryFixtures.Running running = start(kind)) {
            Hub hub = running.hub();
            GatedFigures gate = gate(hub);
            IntakePace pace = pace(hub);
            figuresAnHourBehind(hub, gate, pace);

            CompletableFuture<HttpResponse<String>> webhook = CompletableFuture.supplyAsync(() -> postPostmark(hub));
            await().atMost(30, TimeUnit.SECONDS).until(() -> pace.heldGroups() >= 1);
            assertThat(webhook).isNotDone();
            assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(10);

            gate.open();
            HttpResponse<String> answer = webhook.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(11);
            // held until the figures were within the bound: the old rows were counted before the webhook's was stored
            assertThat(sends(hub)).isGreaterThanOrEqualTo(10);
            await().atMost(30, TimeUnit.SECONDS).until(() -> sends(hub) == 11);
            assertThat(pace.lagMillis()).isZero();
            String metrics = call(hub, "GET", "/observe/metrics").body();
            assertThat(Metrics.value(metrics, "hub_intake_paced_seconds_total")).isPositive();
            assertThat(Metrics.value(metrics, "hub_journal_lag_seconds")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_destination_in_an_outage_does_not_hold_intake(TestDatabases.Kind kind) throws Exception {
        try (DeliveryFixtures.Running running = start(kind)) {
            Hub hub = running.hub();
            GatedFigures gate = gate(hub);
            IntakePace pace = pace(hub);
            figuresAnHourBehind(hub, gate, pace);
            gate.outage = true;
            gate.open();   // every round from now on fails: its report is withdrawn
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> hub.delivery().engine().worker("insight").status().lastError() != null);
            assertThat(pace.lagMillis()).isZero();

            HttpResponse<String> answer = postPostmark(hub);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(pace.heldGroups()).isZero();
            assertThat(sends(hub)).isEqualTo(2);   // the figures are still where the outage left them

            gate.outage = false;
            await().atMost(30, TimeUnit.SECONDS).until(() -> sends(hub) == 11);
        }
    }

    private static GatedFigures gate(Hub hub) {
        return hub.context().getRegistry().lookupByNameAndType("gatedFigures", GatedFigures.class);
    }

    private static IntakePace pace(Hub hub) {
        return hub.context().getRegistry().lookupByNameAndType("journal", Journal.class).pace();
    }

    /**
     * Ten events received an hour ago, as a backlog left by an earlier peak, and one batch of two let through: the
     * figures now stand an hour behind, eight rows to go, their next batch held by the gate.
     */
    private static void figuresAnHourBehind(Hub hub, GatedFigures gate, IntakePace pace) {
        storeHourOld(hub, 10);
        gate.let(1);
        await().atMost(30, TimeUnit.SECONDS).until(() -> pace.lagMillis() > Duration.ofMinutes(59).toMillis());
    }

    /** Events received an hour ago, as a backlog left by an earlier peak. */
    private static void storeHourOld(Hub hub, int n) {
        Instant received = Instant.now().minus(Duration.ofHours(1));
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(CanonicalEvent.builder("postmark").type(EventType.DELIVERED).recipient("old" + i + "@example.com")
                    .messageId("m-old-" + i).occurredAt(received).build(received, received));
        }
        new Journal(hub.database()).store("test", null, events, Map.of(), received);
    }

    private static HttpResponse<String> postPostmark(Hub hub) {
        return HubRunner.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + DeliveryFixtures.port(hub) + "/webhooks/postmark"))
                .header("Content-Type", "application/json").header("Authorization", Postmark.auth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        Postmark.delivery("new-" + UUID.randomUUID(), "new@example.com"))).build());
    }

    private static long sends(Hub hub) {
        return Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_send");
    }
}
