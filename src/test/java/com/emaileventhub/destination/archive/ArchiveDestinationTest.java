package com.emaileventhub.destination.archive;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.overrides;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.ArchiveRows;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An archive in a database of its own (hub.archive.db.url) holds exactly the journal's events, column by column, and
 * replays change nothing. In the hub's own database the journal is the archive: ArchiveInJournalTest.
 */
class ArchiveDestinationTest {

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("postgresql hub, separate postgresql archive",
                        (Supplier<String>) () -> TestDatabases.postgres(), (Supplier<String>) () -> TestDatabases.postgres()),
                Arguments.of("h2 hub, separate h2 archive", (Supplier<String>) () -> TestDatabases.h2(),
                        (Supplier<String>) () -> TestDatabases.h2()),
                Arguments.of("h2 hub, separate postgresql archive",
                        (Supplier<String>) () -> TestDatabases.h2(),
                        (Supplier<String>) () -> TestDatabases.postgres()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void archive_rows_equal_journal_rows_by_the_journal_and_by_the_outbox_and_a_replay_adds_nothing(String name,
            Supplier<String> hubDb, Supplier<String> archiveDb) throws Exception {
        List<String> extra = new ArrayList<>(List.of("hub.archive.batch-size=40"));
        String archiveUrl = archiveDb.get();
        extra.add("hub.archive.db.url=" + archiveUrl);
        extra.add("hub.archive.db.username=" + TestDatabases.user(archiveUrl));
        try (Hub hub = DeliveryFixtures.start(overrides(hubDb.get(), DeliveryFixtures.routes(), extra.toArray(String[]::new)))) {
            List<CanonicalEvent> events = mix(150);
            // the archive follows the journal; the first 50 also have outbox items, as events queued before it did
            store(hub.database(), events.subList(0, 50), "archive");
            store(hub.database(), events.subList(50, 150));
            DataSource archive = hub.context().getRegistry().lookupByNameAndType("archiveDataSource", DataSource.class);
            assertThat(archive).isNotSameAs(hub.database().dataSource());
            await().atMost(20, TimeUnit.SECONDS).until(() -> rows(archive).size() == 150);
            Map<String, Map<String, Object>> rows = rows(archive);
            for (CanonicalEvent e : events) {
                assertRowEquals(rows.get(e.id()), journalEvent(hub, e.id()));
            }

            await().atMost(20, TimeUnit.SECONDS).until(() ->
                    new DeliveryQueue(hub.database()).backlog("archive").pending() == 0);
            assertThat(Json.MAPPER.readTree(call(hub, "POST", "/api/deliveries/replay?destination=archive&status=delivered")
                    .body()).get("requeued").asInt()).isEqualTo(50);
            await().atMost(20, TimeUnit.SECONDS).until(() ->
                    new DeliveryQueue(hub.database()).backlog("archive").pending() == 0);
            assertThat(rows(archive)).hasSize(150);
        }
    }

    /**
     * Every type, hard and soft bounces, nulls, quotes and non-ASCII text in the free-text columns, one raw payload
     * of more than a million characters; ten
     * addresses, each in several cases, so one batch holds every type for the same address.
     */
    static List<CanonicalEvent> mix(int n) {
        List<CanonicalEvent> out = new ArrayList<>();
        EventType[] types = EventType.values();
        Instant base = Instant.parse("2026-02-01T08:00:00.123Z");
        for (int i = 0; i < n; i++) {
            EventType type = types[i % types.length];
            CanonicalEvent.Builder b = CanonicalEvent.builder(i % 2 == 0 ? "sendgrid" : "mailgun").type(type)
                    .recipient((i % 2 == 0 ? "Person" : "PERSON") + i % 10 + "@Example.com").occurredAt(base.plusSeconds(i))
                    .messageId(i % 5 == 0 ? null : "<msg-" + i + "@mail>").espEventId("esp-" + i, true)
                    .raw(Json.MAPPER.createObjectNode().put("event", type.wireName()).put("n", i)
                            // a payload of more than a million characters (a large HTML part)
                            .put("html", i == 7 ? "x".repeat(1_100_000) : ""));
            if (type == EventType.BOUNCED) {
                b.bounceType(i % 2 == 0 ? BounceType.HARD : BounceType.SOFT).reason("550 'no such user' — ünknown")
                        .mtaResponse("550 5.1.1");
            }
            if (type == EventType.CLICKED || type == EventType.OPENED) {
                b.url(type == EventType.CLICKED ? "https://example.com/p?q='1';--" : null).userAgent("Mozilla/5.0")
                        .ip("10.0.0." + i % 250);
            }
            if (i % 3 == 0) {
                b.tag("welcome").tag("b2b").metadata("campaign", "c" + i);
            }
            out.add(b.build(base.plusSeconds(i + 5), base));
        }
        return out;
    }

    static JsonNode journalEvent(Hub hub, String id) throws Exception {
        try (Connection c = hub.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT body FROM hub_event WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Json.MAPPER.readTree(rs.getString(1));
            }
        }
    }

    static void assertRowEquals(Map<String, Object> row, JsonNode event) throws Exception {
        assertThat(row).as("archive row of " + event.get("id")).isNotNull();
        for (String column : ArchiveRows.COLUMNS) {
            Object value = row.get(column);
            JsonNode expected = event.get(column);
            switch (column) {
                case "occurred_at", "received_at" -> assertThat(toInstant(value)).as(column)
                        .isEqualTo(Instant.parse(expected.asText()));
                case "tags", "metadata", "raw" -> assertThat(Json.MAPPER.readTree((String) value)).as(column)
                        .isEqualTo(expected);
                default -> assertThat(value).as(column).isEqualTo(expected.isNull() ? null : expected.asText());
            }
        }
    }

    private static Instant toInstant(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new AssertionError("unexpected timestamp type " + value.getClass());
    }

    static Map<String, Map<String, Object>> rows(DataSource ds) throws Exception {
        Map<String, Map<String, Object>> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM hub_archive");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnLabel(i).toLowerCase();
                    row.put(col, col.endsWith("_at") ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i));
                }
                out.put((String) row.get("id"), row);
            }
        }
        return out;
    }
}
