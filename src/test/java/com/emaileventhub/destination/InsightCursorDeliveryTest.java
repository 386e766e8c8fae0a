package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.support.Figures;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The insight figures follow the journal through the delivery engine: an outage leaves the cursor where it is, an
 * event refused for its data is passed with a dead item and the rest are counted, and a replay of that item counts
 * it once, however often it is replayed.
 */
class InsightCursorDeliveryTest {
    private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void an_outage_waits_a_refused_event_goes_dead_and_its_replay_counts_once(TestDatabases.Kind kind) throws Exception {
        Path routes = DeliveryFixtures.routes();
        Files.writeString(routes.resolve("destinations/insight.camel.yaml"), """
                - route:
                    id: deliver-insight
                    routeConfigurationId: delivery-errors
                    from:
                      uri: direct:deliver-insight
                      steps:
                        - bean:
                            ref: refusingFigures
                            method: check
                        - bean:
                            ref: insightStore
                            method: "apply(${body}, ${exchangeProperty.hubJournalAdvance})"
                """);
        String url = kind.freshUrl();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, routes,
                "camel.beans.refusingFigures=#class:" + RefusingFigures.class.getName()))) {
            RefusingFigures figures = hub.context().getRegistry().lookupByNameAndType("refusingFigures", RefusingFigures.class);
            DeliveryFixtures.store(hub.database(), List.of(delivered("a"), delivered("b"), delivered("poison"),
                    delivered("c"), delivered("d")));
            await().atMost(30, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
            assertThat(sends(hub)).isEqualTo(4);
            assertThat(Rows.strings(hub.database().dataSource(), "SELECT e.recipient FROM hub_delivery d JOIN hub_event e "
                    + "ON e.id = d.event_id WHERE d.destination = 'insight' AND d.status = 'dead'"))
                    .containsExactly("poison@example.com");

            figures.outage = true;
            DeliveryFixtures.store(hub.database(), List.of(delivered("e"), delivered("f")));
            JournalCursor cursor = new JournalCursor(hub.database(), "insight");
            // rounds run every 50 ms here: several fail, none passes an event
            await().pollDelay(600, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                    .until(() -> hub.delivery().engine().worker("insight").status().lastError() != null);
            assertThat(cursor.backlog().pending()).isEqualTo(2);
            assertThat(sends(hub)).isEqualTo(4);
            figures.outage = false;
            await().atMost(30, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
            assertThat(sends(hub)).isEqualTo(6);
            assertThat(Rows.count(hub.database().dataSource(),
                    "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'insight' AND status = 'dead'")).isEqualTo(1);

            figures.refusePoison = false;
            for (String status : List.of("dead", "delivered", "delivered")) {
                assertThat(call(hub, "POST", "/api/deliveries/replay?destination=insight&status=" + status
                        + "&since=2000-01-01T00:00:00Z").statusCode()).isEqualTo(200);
                await().atMost(30, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
            }
            assertThat(sends(hub)).isEqualTo(7);
            assertThat(Rows.count(hub.database().dataSource(),
                    "SELECT events FROM insight_send WHERE recipient = 'poison@example.com'")).isEqualTo(1);
            assertThat(call(hub, "POST", "/api/deliveries/backfill?destination=insight&since=2000-01-01T00:00:00Z")
                    .statusCode()).isEqualTo(400);
        } finally {
            TestDatabases.drop(url);
        }
    }

    private static CanonicalEvent delivered(String who) {
        return CanonicalEvent.builder("postmark").type(EventType.DELIVERED).recipient(who + "@example.com")
                .messageId("m-" + who).occurredAt(AT).build(Instant.now(), AT);
    }

    private static long sends(Hub hub) {
        return Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_send");
    }
}
