package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The journal cursor on the embedded H2 default and on this machine's real PostgreSQL: a reader never passes a row
 * whose transaction commits late, many writers and readers lose and repeat nothing, and two consumers moving one
 * cursor apply each event once.
 */
class JournalCursorTest {
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
    private static final String CURSOR = "insight";

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    private static Database open(String kind) {
        return TestDatabases.open(kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres(), 20);
    }

    private static CanonicalEvent event(String messageId, Instant receivedAt) {
        return CanonicalEvent.builder("postmark").type(EventType.DELIVERED).recipient("r-" + messageId + "@example.com")
                .messageId(messageId).occurredAt(receivedAt).build(receivedAt, receivedAt);
    }

    private static void store(Journal journal, List<CanonicalEvent> events) {
        journal.store("postmark", null, events, Map.of(), NOW);
    }

    /**
     * The rows after {@code from} once {@code n} are there to take: on PostgreSQL a row is taken only when every
     * transaction older than its own has ended, on the whole server (another test's, say).
     */
    private static List<JournalCursor.Entry> await(JournalCursor cursor, JournalCursor.Position from, int n) {
        return Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cursor.after(from, 100), l -> l.size() >= n);
    }

    private static List<JournalCursor.Entry> entries(JournalCursor cursor, JournalCursor.Position from) {
        return cursor.after(from, 100);
    }

    private static List<String> ids(List<JournalCursor.Entry> entries) {
        return entries.stream().map(JournalCursor.Entry::eventId).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_reader_never_passes_a_row_whose_transaction_commits_late(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            JournalCursor cursor = new JournalCursor(db, CURSOR);
            CanonicalEvent early = event("early", NOW);
            CanonicalEvent late = event("late", NOW);
            CanonicalEvent after = event("after", NOW);
            store(journal, List.of(early));
            try (OpenWrite open = OpenWrite.begin(db, late)) {
                store(journal, List.of(after));   // begun after "late", committed before it
                // visible and committed, yet behind a transaction still open: not taken yet
                assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event WHERE message_id = 'after'")).isEqualTo(1);
                // (on PostgreSQL "early" may wait for another's transaction too: never "after" before "late")
                assertThat(ids(cursor.after(JournalCursor.Position.START, 100))).isSubsetOf(early.id());
                open.commit();
            }
            assertThat(ids(await(cursor, JournalCursor.Position.START, 3))).containsExactly(early.id(), late.id(), after.id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rows_this_instance_stored_lately_are_handed_on_as_the_stored_event_and_other_rows_are_parsed(String kind)
            throws Exception {
        try (Database db = open(kind)) {
            RecentEvents recent = new RecentEvents(2);
            Journal journal = new Journal(db, JournalSettings.from(HubConfig.load(Map.of())), Set.of("leads"), recent);
            Journal elsewhere = new Journal(db);   // another instance: nothing in this one's memory
            CanonicalEvent first = event("first", NOW);
            CanonicalEvent second = event("second", NOW);
            CanonicalEvent third = event("third", NOW);
            CanonicalEvent other = event("other", NOW);
            store(journal, List.of(first));
            store(elsewhere, List.of(other));
            journal.store("postmark", null, List.of(second, third, first), Map.of(third.id(), List.of("leads")), NOW);

            List<JournalCursor.Entry> all = await(new JournalCursor(db, CURSOR, false, recent), JournalCursor.Position.START, 4);
            assertThat(ids(all)).containsExactly(first.id(), other.id(), second.id(), third.id());
            // two kept: "first" was pushed out by the two after it (its duplicate in the last request was not stored)
            assertThat(all).extracting(JournalCursor.Entry::known).containsExactly(null, null, second, third);
            assertThat(all.get(3).known()).isSameAs(third);
            assertThat(recent.hits()).isEqualTo(2);
            assertThat(recent.misses()).isEqualTo(2);
            // what is handed on is what the row parses to
            for (JournalCursor.Entry e : all.subList(2, 4)) {
                assertThat(Json.MAPPER.readValue(e.body(), CanonicalEvent.class)).isEqualTo(e.known());
            }
            // a routed cursor looks up the rows chosen for it only
            List<JournalCursor.Entry> leads = entries(new JournalCursor(db, "leads", true, recent), JournalCursor.Position.START);
            assertThat(leads).extracting(JournalCursor.Entry::known).containsExactly(null, null, null, third);
            assertThat(recent.hits()).isEqualTo(3);
            assertThat(recent.misses()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void events_are_kept_for_the_destinations_only_while_they_keep_up_with_intake(String kind) throws Exception {
        try (Database db = open(kind)) {
            RecentEvents recent = new RecentEvents(100);
            Journal journal = new Journal(db, JournalSettings.from(HubConfig.load(Map.of())), Set.of(), recent);
            CanonicalEvent atPeak = event("at-peak", NOW);
            CanonicalEvent caughtUp = event("caught-up", NOW);
            journal.pace().report(CURSOR, RecentEvents.READ_SOON_MILLIS + 4_000);   // a full batch, 5 s old
            store(journal, List.of(atPeak));
            journal.pace().report(CURSOR, 0);   // it took all there was
            store(journal, List.of(caughtUp));

            List<JournalCursor.Entry> all = await(new JournalCursor(db, CURSOR, false, recent), JournalCursor.Position.START, 2);
            assertThat(ids(all)).containsExactly(atPeak.id(), caughtUp.id());
            assertThat(all).extracting(JournalCursor.Entry::known).containsExactly(null, caughtUp);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_routed_cursor_takes_the_bodies_of_the_rows_chosen_for_it_only_and_they_have_no_outbox_row(String kind)
            throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db, JournalSettings.from(HubConfig.load(Map.of())), Set.of("leads", "suppression"));
            CanonicalEvent click = event("click", NOW);
            CanonicalEvent bounce = event("bounce", NOW);
            CanonicalEvent delivered = event("delivered", NOW);
            CanonicalEvent complaint = event("complaint", NOW);
            journal.store("postmark", null, List.of(click, bounce, delivered, complaint), Map.of(
                    click.id(), List.of("crm", "leads"), bounce.id(), List.of("suppression"),
                    complaint.id(), List.of("leads", "suppression")), NOW);

            JournalCursor leads = new JournalCursor(db, "leads", true);
            List<JournalCursor.Entry> all = await(leads, JournalCursor.Position.START, 4);
            assertThat(ids(all)).containsExactly(click.id(), bounce.id(), delivered.id(), complaint.id());
            assertThat(ids(all.stream().filter(JournalCursor.Entry::chosen).toList())).containsExactly(click.id(), complaint.id());
            assertThat(all.stream().filter(JournalCursor.Entry::chosen).map(JournalCursor.Entry::body))
                    .allSatisfy(body -> assertThat(body).contains("\"id\""));
            JournalCursor suppression = new JournalCursor(db, "suppression", true);
            assertThat(ids(entries(suppression, JournalCursor.Position.START).stream().filter(JournalCursor.Entry::chosen)
                    .toList())).containsExactly(bounce.id(), complaint.id());
            // a name is matched whole, its LIKE wildcards escaped: "lead_" is not "leads"
            assertThat(entries(new JournalCursor(db, "lead_", true), JournalCursor.Position.START))
                    .hasSize(4).noneMatch(JournalCursor.Entry::chosen);
            // a cursor that takes every row gets every body
            assertThat(entries(new JournalCursor(db, CURSOR), JournalCursor.Position.START)).allMatch(JournalCursor.Entry::chosen);
            // the outbox holds the destination that is not routed only
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(1);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'crm'")).isEqualTo(1);
            assertThat(Rows.count(db.dataSource(),
                    "SELECT COUNT(*) FROM hub_event WHERE routes = ',leads,suppression,'")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void many_writers_and_a_reader_following_them_see_every_event_once(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            JournalCursor cursor = new JournalCursor(db, CURSOR);
            int writers = 8;
            int requests = 60;
            int expected = writers * requests * 2;   // requests of 1, 2 and 3 events in turn
            List<String> stored = Collections.synchronizedList(new ArrayList<>());
            List<String> read = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    futures.add(pool.submit(() -> {
                        for (int r = 0; r < requests; r++) {
                            List<CanonicalEvent> batch = new ArrayList<>();
                            for (int i = 0; i <= r % 3; i++) {
                                batch.add(event("w" + writer + "-" + r + "-" + i, NOW));
                            }
                            store(journal, batch);
                            batch.forEach(e -> stored.add(e.id()));
                        }
                    }));
                }
                Future<?> reader = Executors.newSingleThreadExecutor().submit(() -> {
                    JournalCursor.Position at = JournalCursor.Position.START;
                    // on PostgreSQL rows wait for every older transaction on the server (another process's too):
                    // read until all are in or a minute has passed since the writers finished
                    long deadline = Long.MAX_VALUE;
                    while (read.size() < expected && System.nanoTime() < deadline) {
                        if (!writing.get() && deadline == Long.MAX_VALUE) {
                            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                        }
                        List<JournalCursor.Entry> entries = cursor.after(at, 7);
                        entries.forEach(e -> read.add(e.eventId()));
                        if (!entries.isEmpty()) {
                            at = entries.get(entries.size() - 1).position();
                        }
                    }
                    // nothing more may come: a row read twice or one too many would show here
                    entries(cursor, at).forEach(e -> read.add(e.eventId()));
                });
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES);
                }
                writing.set(false);
                reader.get(3, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            assertThat(read).hasSize(expected);
            assertThat(read).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stored);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void two_consumers_moving_one_cursor_apply_each_event_once(String kind) throws Exception {
        try (Database db = open(kind)) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE cursor_applied (event_id VARCHAR(32) NOT NULL, consumer INT NOT NULL)");
            }
            Journal journal = new Journal(db);
            List<CanonicalEvent> events = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                events.add(event("two-" + i, NOW));
            }
            Map<Integer, Integer> lost = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> consumers = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    int consumer = n;
                    consumers.add(pool.submit(() -> {
                        JournalCursor cursor = new JournalCursor(db, CURSOR);
                        int idle = 0;
                        while (idle < 3) {
                            boolean done = !writing.get();
                            JournalCursor.Position from = cursor.position();
                            List<JournalCursor.Entry> entries = cursor.after(from, 25);
                            if (entries.isEmpty()) {
                                idle += done ? 1 : 0;
                                continue;
                            }
                            JournalCursor.Advance advance = new JournalCursor.Advance(CURSOR, from,
                                    entries.get(entries.size() - 1).position());
                            boolean moved = Transactions.inTransaction(db.dataSource(), c -> {
                                if (!JournalCursor.advance(c, advance, NOW.toEpochMilli())) {
                                    return false;
                                }
                                try (PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO cursor_applied (event_id, consumer) VALUES (?, ?)")) {
                                    for (JournalCursor.Entry e : entries) {
                                        ps.setString(1, e.eventId());
                                        ps.setInt(2, consumer);
                                        ps.addBatch();
                                    }
                                    ps.executeBatch();
                                }
                                return true;
                            });
                            if (!moved) {
                                lost.merge(consumer, 1, Integer::sum);
                            }
                        }
                        return null;
                    }));
                }
                for (int from = 0; from < events.size(); from += 4) {
                    store(journal, events.subList(from, from + 4));
                }
                writing.set(false);
                for (Future<?> f : consumers) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM cursor_applied")).isEqualTo(events.size());
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(DISTINCT event_id) FROM cursor_applied")).isEqualTo(events.size());
            assertThat(new JournalCursor(db, CURSOR).backlog().pending()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void the_backlog_counts_the_rows_after_the_cursor_and_dates_the_next_one(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            JournalCursor cursor = new JournalCursor(db, CURSOR);
            assertThat(cursor.backlog()).isEqualTo(new JournalCursor.Backlog(0, null));
            Instant first = NOW.minusSeconds(60);
            journal.store("postmark", null, List.of(event("b-0", first), event("b-1", first)), Map.of(), first);
            journal.store("postmark", null, List.of(event("b-2", NOW)), Map.of(), NOW);
            List<JournalCursor.Entry> entries = await(cursor, JournalCursor.Position.START, 3);
            assertThat(cursor.backlog()).isEqualTo(new JournalCursor.Backlog(3, first.toEpochMilli()));
            Transactions.inTransaction(db.dataSource(), c -> JournalCursor.advance(c,
                    new JournalCursor.Advance(CURSOR, JournalCursor.Position.START, entries.get(1).position()), 0));
            assertThat(cursor.backlog()).isEqualTo(new JournalCursor.Backlog(1, NOW.toEpochMilli()));
            Transactions.inTransaction(db.dataSource(), c -> JournalCursor.advance(c,
                    new JournalCursor.Advance(CURSOR, entries.get(1).position(), entries.get(2).position()), 0));
            assertThat(cursor.backlog()).isEqualTo(new JournalCursor.Backlog(0, null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_backlog_above_what_is_counted_is_estimated_from_the_journal_s_numbers(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            JournalCursor counted = new JournalCursor(db, CURSOR);
            JournalCursor estimated = new JournalCursor(db, CURSOR, false, RecentEvents.NONE, 5);
            List<CanonicalEvent> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                events.add(event("e-" + i, NOW));
            }
            store(journal, events);
            List<JournalCursor.Entry> entries = await(counted, JournalCursor.Position.START, 20);
            assertThat(counted.backlog().pending()).isEqualTo(20);
            assertThat(estimated.backlog()).isEqualTo(new JournalCursor.Backlog(20, NOW.toEpochMilli()));
            Transactions.inTransaction(db.dataSource(), c -> JournalCursor.advance(c,
                    new JournalCursor.Advance(CURSOR, JournalCursor.Position.START, entries.get(9).position()), 0));
            assertThat(estimated.backlog().pending()).isEqualTo(10);
            // a duplicate stores nothing: the count does not see it, the estimate may (PostgreSQL numbers it)
            store(journal, events.subList(0, 3));
            assertThat(counted.backlog().pending()).isEqualTo(10);
            assertThat(estimated.backlog().pending()).isBetween(10L, 13L);
            Transactions.inTransaction(db.dataSource(), c -> JournalCursor.advance(c,
                    new JournalCursor.Advance(CURSOR, entries.get(9).position(), entries.get(16).position()), 0));
            assertThat(estimated.backlog().pending()).as("at or below the limit: counted").isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void maintenance_keeps_expired_events_the_cursor_has_not_passed(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            Instant old = NOW.minus(Duration.ofDays(40));
            List<CanonicalEvent> events = List.of(event("old-0", old), event("old-1", old), event("old-2", old));
            journal.store("postmark", null, events, Map.of(), old);
            JournalCursor cursor = new JournalCursor(db, CURSOR);
            List<JournalCursor.Entry> entries = await(cursor, JournalCursor.Position.START, 3);
            Transactions.inTransaction(db.dataSource(), c -> JournalCursor.advance(c,
                    new JournalCursor.Advance(CURSOR, JournalCursor.Position.START, entries.get(1).position()), 0));
            JournalMaintenance maintenance = new JournalMaintenance(journal, Duration.ofDays(30), Duration.ofDays(1),
                    Clock.fixed(NOW, ZoneOffset.UTC), List.of(CURSOR));
            maintenance.run();
            assertThat(Rows.strings(db.dataSource(), "SELECT id FROM hub_event")).containsExactly(events.get(2).id());
            assertThat(cursor.backlog().pending()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_event_passed_with_a_dead_item_is_listed_dead_and_the_cursor_moves_on(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            store(journal, List.of(event("poison", NOW), event("fine", NOW)));
            JournalCursor cursor = new JournalCursor(db, CURSOR);
            List<JournalCursor.Entry> entries = await(cursor, JournalCursor.Position.START, 2);
            assertThat(cursor.deadLetter(entries.get(0), JournalCursor.Position.START, "refused", NOW.toEpochMilli())).isTrue();
            // a second instance that read the same row finds the cursor moved
            assertThat(cursor.deadLetter(entries.get(0), JournalCursor.Position.START, "refused", NOW.toEpochMilli())).isFalse();
            assertThat(cursor.position()).isEqualTo(entries.get(0).position());
            assertThat(ids(cursor.after(cursor.position(), 10))).containsExactly(entries.get(1).eventId());
            assertThat(Rows.strings(db.dataSource(), "SELECT status FROM hub_delivery WHERE destination = ? AND event_id = ?",
                    CURSOR, entries.get(0).eventId())).containsExactly("dead");
        }
    }

    /** A journal row written in a transaction left open (a slow request of this instance, or of another). */
    private static final class OpenWrite implements AutoCloseable {
        private final Connection connection;
        private final JournalPositions.Reservation reservation;

        private OpenWrite(Connection connection, JournalPositions.Reservation reservation) {
            this.connection = connection;
            this.reservation = reservation;
        }

        static OpenWrite begin(Database db, CanonicalEvent e) throws SQLException {
            JournalPositions.Reservation reserved = db.positions() == null ? null : db.positions().open();
            Connection c = db.dataSource().getConnection();
            c.setAutoCommit(false);
            JournalRows.insertEvents(c, db.dialect(), List.of(e), List.of(Journal.toJson(e)), java.util.Collections.singletonList(null), reserved);
            return new OpenWrite(c, reserved);
        }

        void commit() throws SQLException {
            connection.commit();
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.rollback();   // after commit: nothing to roll back
                connection.close();
            } finally {
                if (reservation != null) {
                    reservation.close();
                }
            }
        }
    }
}
