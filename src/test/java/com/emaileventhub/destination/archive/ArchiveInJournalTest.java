package com.emaileventhub.destination.archive;

import static com.emaileventhub.destination.DeliveryFixtures.store;
import static com.emaileventhub.destination.archive.ArchiveDestinationTest.assertRowEquals;
import static com.emaileventhub.destination.archive.ArchiveDestinationTest.mix;
import static com.emaileventhub.destination.archive.ArchiveDestinationTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.ArchiveDatabase;
import com.emaileventhub.store.ArchiveRows;
import com.emaileventhub.store.ArchiveSettings;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.JournalMaintenance;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * In the hub's own database the archive is the journal (hub_archive a view of hub_event and hub_archive_past): no
 * event is copied when stored, the journal's maintenance moves the events past retention into hub_archive_past, and
 * the view shows every event once, column by column as the archive destination's copy has it.
 */
class ArchiveInJournalTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void the_archive_shows_every_journal_event_once_before_and_after_maintenance_moves_it_past_retention(
            TestDatabases.Kind kind) throws Exception {
        try (DeliveryFixtures.Running running = DeliveryFixtures.startOn(kind, "hub.journal.retention=PT1S")) {
            DataSource ds = running.hub().database().dataSource();
            List<CanonicalEvent> events = mix(150);
            store(running.hub().database(), events);
            // nothing is copied: no archive destination polls, the archive's own table stays empty
            assertThat(running.hub().delivery().engine().worker("archive")).isNull();
            assertThat(running.hub().delivery().engine().worker("insight")).isNotNull();
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_archive_past")).isZero();
            assertArchiveHolds(ds, events);

            // past retention (1 s) and passed by every running cursor, the events move, in batches of at most 1,000
            JournalMaintenance maintenance = running.hub().context().getRegistry()
                    .lookupByNameAndType("journalMaintenance", JournalMaintenance.class);
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                maintenance.run();
                return Rows.count(ds, "SELECT COUNT(*) FROM hub_event") == 0;
            });
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_archive_past")).isEqualTo(150);
            assertArchiveHolds(ds, events);

            // the same events again, past the de-duplication window: new to the journal, still once in the archive
            store(running.hub().database(), events.subList(0, 10));
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_event")).isEqualTo(10);
            assertArchiveHolds(ds, events);
            // the figures take them too: two of them belong to no send (no message id) and are counted already, which
            // is no reason to give them up (they were dead letters of the insight destination before)
            await().atMost(30, TimeUnit.SECONDS).until(() ->
                    new JournalCursor(running.hub().database(), "insight").backlog().pending() == 0);
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'insight'")).isZero();
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM insight_orphan")).isEqualTo(30);
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                maintenance.run();
                return Rows.count(ds, "SELECT COUNT(*) FROM hub_event") == 0;
            });
            assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_archive_past")).isEqualTo(150);
            assertArchiveHolds(ds, events);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void an_archive_copied_before_this_version_stays_whole_once_the_journal_is_the_archive(TestDatabases.Kind kind)
            throws Exception {
        String url = kind.freshUrl();
        try (Database db = TestDatabases.open(url, 2)) {
            // the archive as it was: a table of copies, the first version of its schema only
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/archive")
                    .table("hub_archive_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
            List<CanonicalEvent> events = mix(30);
            List<CanonicalEvent> journal = events.subList(0, 20);
            store(db, journal.subList(0, 15));
            // the last five still queued for the archive in the outbox, as events stored before it followed the journal
            store(db, journal.subList(15, 20), "archive");
            // copied: ten of the journal's events, and ten the journal has dropped past its retention
            copy(db, events.subList(0, 10));
            copy(db, events.subList(20, 30));

            ArchiveDatabase.open(new ArchiveSettings(null, null, null, 1, Duration.ofSeconds(3)), db).close();

            assertArchiveHolds(db.dataSource(), events);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_archive_past")).isEqualTo(20);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'archive'"))
                    .as("the archive's outbox items: their events are in the journal").isZero();
        } finally {
            TestDatabases.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_nul_in_a_raw_payload_leaves_the_archive_readable_and_the_moved_copy_exact(TestDatabases.Kind kind)
            throws Exception {
        try (DeliveryFixtures.Running running = DeliveryFixtures.startOn(kind, "hub.journal.retention=PT1S")) {
            DataSource ds = running.hub().database().dataSource();
            CanonicalEvent nul = CanonicalEvent.builder("sendgrid").type(EventType.BOUNCED).bounceType(BounceType.HARD)
                    .recipient("nul@example.com").messageId("m-nul").occurredAt(Instant.parse("2026-02-01T08:00:00Z"))
                    .raw(Json.MAPPER.createObjectNode().put("reason", "550\u0000 no").put("text", "a\\u0000b"))
                    .build(Instant.parse("2026-02-01T08:00:05Z"), Instant.parse("2026-02-01T08:00:05Z"));
            store(running.hub().database(), List.of(nul));
            // PostgreSQL's text holds no U+0000: its view reads it as U+FFFD, and an escaped backslash stays one
            String expected = kind == TestDatabases.Kind.POSTGRESQL ? "550\ufffd no" : "550\u0000 no";
            JsonNode raw = Json.MAPPER.readTree(Rows.strings(ds, "SELECT raw FROM hub_archive WHERE message_id = 'm-nul'")
                    .get(0));
            assertThat(raw.get("reason").textValue()).isEqualTo(expected);
            assertThat(raw.get("text").textValue()).isEqualTo("a\\u0000b");
            JournalMaintenance maintenance = running.hub().context().getRegistry()
                    .lookupByNameAndType("journalMaintenance", JournalMaintenance.class);
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                maintenance.run();
                return Rows.count(ds, "SELECT COUNT(*) FROM hub_event") == 0;
            });
            assertArchiveHolds(ds, List.of(nul));
        }
    }

    /** hub_archive has exactly these events, once each, column by column as the canonical event has them. */
    private static void assertArchiveHolds(DataSource ds, List<CanonicalEvent> events) throws Exception {
        assertThat(Rows.count(ds, "SELECT COUNT(*) FROM hub_archive")).isEqualTo(events.size());
        Map<String, Map<String, Object>> rows = rows(ds);
        assertThat(rows).hasSize(events.size());
        for (CanonicalEvent e : events) {
            JsonNode stored = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(e));
            assertRowEquals(rows.get(e.id()), stored);
        }
        // the lookups the archive is for: by message and by recipient
        CanonicalEvent withMessage = events.get(events.size() > 1 ? 1 : 0);
        assertThat(Rows.strings(ds, "SELECT id FROM hub_archive WHERE message_id = ?", withMessage.messageId()))
                .contains(withMessage.id());
        assertThat(Rows.strings(ds, "SELECT id FROM hub_archive WHERE recipient = ? ORDER BY occurred_at",
                events.get(0).recipient())).contains(events.get(0).id());
    }

    /** As the archive destination copied events before the journal was the archive. */
    private static void copy(Database db, List<CanonicalEvent> events) throws Exception {
        String[][] columns = ArchiveRows.columns(events);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(ArchiveRows.insert(db.dialect(), "hub_archive", col -> "?"))) {
            for (int col = 0; col < columns.length; col++) {
                ps.setObject(col + 1, columns[col]);
            }
            ps.executeUpdate();
        }
    }
}
