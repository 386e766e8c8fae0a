package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database kept before the insight figures followed the journal (schema version 12): the events still queued for
 * them and not yet counted move to the cursor, ahead of every event stored afterwards; those counted already, or
 * never queued for them, are not read again.
 */
class JournalPositionMigrationTest {
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void events_still_queued_for_the_figures_move_to_the_cursor(TestDatabases.Kind kind) throws SQLException {
        String url = kind == TestDatabases.Kind.H2 ? TestDatabases.h2() : TestDatabases.postgres();
        try (Database db = new Database(url, TestDatabases.user(url), "", 4, Duration.ofSeconds(3))) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target("12").load().migrate();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String id : List.of("queued", "applied", "delivered", "archived")) {
                    s.executeUpdate("INSERT INTO hub_event (id, esp, type, occurred_at, received_at, body) VALUES ('"
                            + id + "', 'postmark', 'delivered', 1, 1, '{}')");
                }
                delivery(s, "insight", "queued", "pending");
                delivery(s, "insight", "applied", "pending");   // counted, then the instance died before marking it
                s.executeUpdate("INSERT INTO insight_applied (event_id, applied_at) VALUES ('applied', 1)");
                delivery(s, "insight", "delivered", "delivered");
                delivery(s, "archive", "archived", "pending");
            }
            db.migrate();

            assertThat(Rows.strings(db.dataSource(), "SELECT id FROM hub_event WHERE seq IS NOT NULL")).containsExactly("queued");
            assertThat(Rows.strings(db.dataSource(), "SELECT destination || ':' || event_id || ':' || status FROM hub_delivery "
                    + "ORDER BY destination, event_id")).containsExactly("archive:archived:pending", "insight:delivered:delivered");
            CanonicalEvent later = CanonicalEvent.builder("postmark").type(EventType.DELIVERED).recipient("l@example.com")
                    .messageId("later").occurredAt(Instant.parse("2026-03-01T00:00:00Z"))
                    .build(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
            new Journal(db).store("postmark", null, List.of(later), Map.of(), Instant.now());
            JournalCursor cursor = new JournalCursor(db, "insight");
            List<JournalCursor.Entry> entries = Awaitility.await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> cursor.after(cursor.position(), 10), l -> l.size() >= 2);
            assertThat(entries.stream().map(JournalCursor.Entry::eventId)).containsExactly("queued", later.id());
            assertThat(cursor.backlog().pending()).isEqualTo(2);
            // V15: the archive's cursor starts after the journal's last row; what was queued for it stays in the outbox
            JournalCursor archive = new JournalCursor(db, "archive");
            assertThat(archive.after(archive.position(), 10).stream().map(JournalCursor.Entry::eventId))
                    .containsExactly(later.id());
        } finally {
            TestDatabases.drop(url);
        }
    }

    private static void delivery(Statement s, String destination, String eventId, String status) throws SQLException {
        s.executeUpdate("INSERT INTO hub_delivery (destination, event_id, status, attempts, next_attempt_at, created_at, "
                + "updated_at) VALUES ('" + destination + "', '" + eventId + "', '" + status + "', 0, 1, 1, 1)");
    }
}
