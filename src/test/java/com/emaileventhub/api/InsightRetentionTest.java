package com.emaileventhub.api;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.InsightMaintenance;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Insight retention, independent of the journal's: quarter-hour rows go after hub.insight.fine-retention,
 * daily rows and sends after hub.insight.daily-retention, and a query older than the quarter-hour rows is
 * still exact (whole UTC days from daily rows, the rest send by send).
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class InsightRetentionTest {
    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private Hub hub;

    @BeforeEach
    void start() throws Exception {
        running = DeliveryFixtures.startOn(kind, "hub.insight.fine-retention=P10D", "hub.insight.daily-retention=P40D");
        hub = running.hub();
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void old_rows_go_by_their_own_retention_and_older_ranges_stay_exact() throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant twentyDaysAgo = day.minus(20, ChronoUnit.DAYS).plus(13, ChronoUnit.HOURS);
        Instant fiftyDaysAgo = day.minus(50, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
        DeliveryFixtures.store(hub.database(), List.of(delivered("old", fiftyDaysAgo), delivered("mid", twentyDaysAgo),
                delivered("new", day.minus(1, ChronoUnit.HOURS)), clicked("old", fiftyDaysAgo), clicked("mid", twentyDaysAgo)));
        await().atMost(20, TimeUnit.SECONDS).until(() -> Rows.count(hub.database().dataSource(),
                "SELECT COUNT(*) FROM insight_send WHERE clicks > 0") == 2);

        hub.context().getRegistry().lookupByNameAndType("insightMaintenance", InsightMaintenance.class).run();

        assertThat(Rows.strings(hub.database().dataSource(), "SELECT send_key FROM insight_send ORDER BY send_key"))
                .containsExactly("mid", "new");
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_rollup WHERE grain IN (1, 3) "
                + "AND period < ?", day.minus(10, ChronoUnit.DAYS).toEpochMilli())).isZero();
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_rollup WHERE grain IN (2, 4) "
                + "AND period < ?", day.minus(40, ChronoUnit.DAYS).toEpochMilli())).isZero();
        // links per day, by tag set (grain 2) and of every tag set (grain 3): only the mid send's day is left
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_link_rollup WHERE grain IN (2, 3) "
                + "AND period < ?", day.minus(40, ChronoUnit.DAYS).toEpochMilli())).isZero();
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_link_rollup WHERE grain = 3"))
                .isEqualTo(1);
        JsonNode links = Json.MAPPER.readTree(call(hub, "GET", "/api/stats/links?from=" + day.minus(60, ChronoUnit.DAYS)
                + "&to=" + day.plus(1, ChronoUnit.DAYS)).body());
        assertThat(links.at("/links/0/url").asText()).isEqualTo("https://example.com/mid");
        assertThat(links.at("/links/0/clicks").asLong()).isEqualTo(1);
        assertThat(links.at("/links").size()).isEqualTo(1);
        // the journal keeps what it keeps: its retention is its own
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(5);

        // 20 days back, hours 12:00 to 14:00 of one day: no quarter-hour rows left, read send by send
        JsonNode hours = stats("bucket=hour&from=" + twentyDaysAgo.minus(1, ChronoUnit.HOURS) + "&to="
                + twentyDaysAgo.plus(1, ChronoUnit.HOURS));
        assertThat(hours.at("/totals/counts/delivered").asLong()).isEqualTo(1);
        assertThat(hours.at("/groups/0/buckets/0/start").asText()).isEqualTo(twentyDaysAgo.toString().replace("Z", ".000Z"));
        JsonNode month = stats("bucket=none&from=" + day.minus(30, ChronoUnit.DAYS) + "&to=" + day.plus(1, ChronoUnit.DAYS));
        assertThat(month.at("/totals/counts/delivered").asLong()).isEqualTo(2);
    }

    @Test
    void a_longer_fine_retention_set_later_never_reads_the_quarter_hour_rows_an_earlier_cut_removed() throws Exception {
        Instant twentyDaysAgo = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(20, ChronoUnit.DAYS).plus(13, ChronoUnit.HOURS);
        DeliveryFixtures.store(hub.database(), List.of(delivered("mid", twentyDaysAgo)));
        await().atMost(20, TimeUnit.SECONDS).until(() -> Rows.count(hub.database().dataSource(),
                "SELECT COUNT(*) FROM insight_send") == 1);
        hub.context().getRegistry().lookupByNameAndType("insightMaintenance", InsightMaintenance.class).run();
        assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_rollup WHERE grain IN (1, 3)"))
                .as("the 10-day window removed the send's quarter-hour rows").isZero();

        // the operator raises the window to 40 days: 20 days back is inside it, but those rows are gone
        try (Hub longer = DeliveryFixtures.start(DeliveryFixtures.overrides(running.dbUrl(), DeliveryFixtures.routes(),
                "hub.insight.fine-retention=P40D"))) {
            var r = call(longer, "GET", "/api/stats?bucket=hour&from=" + twentyDaysAgo.minus(1, ChronoUnit.HOURS) + "&to="
                    + twentyDaysAgo.plus(1, ChronoUnit.HOURS));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(r.body()).at("/totals/counts/delivered").asLong())
                    .as("read send by send, not from the removed rows").isEqualTo(1);
        }
    }

    private static CanonicalEvent delivered(String messageId, Instant at) {
        return CanonicalEvent.builder("postmark").type(EventType.DELIVERED).messageId(messageId).recipient("r@example.com")
                .occurredAt(at).build(Instant.now(), at);
    }

    private static CanonicalEvent clicked(String messageId, Instant delivered) {
        Instant at = delivered.plus(30, ChronoUnit.MINUTES);
        return CanonicalEvent.builder("postmark").type(EventType.CLICKED).messageId(messageId).recipient("r@example.com")
                .url("https://example.com/" + messageId).occurredAt(at).build(Instant.now(), at);
    }

    private JsonNode stats(String query) throws Exception {
        var r = call(hub, "GET", "/api/stats?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
