package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.emaileventhub.webhook.WebhookRejection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The durable journal on the embedded H2 default and on this machine's real PostgreSQL. */
class JournalTest {
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    private static Database open(String kind) {
        return TestDatabases.open(kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres(), 10);
    }

    private static List<CanonicalEvent> events(int n, String messagePrefix) {
        return events(n, messagePrefix, NOW);
    }

    private static List<CanonicalEvent> events(int n, String messagePrefix, Instant receivedAt) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CanonicalEvent.builder("sendgrid").type(i % 2 == 0 ? EventType.OPENED : EventType.DELIVERED)
                    .recipient("User" + i + "@Example.com").messageId(messagePrefix + i)
                    .occurredAt(NOW.minusSeconds(i)).build(receivedAt, receivedAt));
        }
        return out;
    }

    private static Map<String, List<String>> everywhere(List<CanonicalEvent> events) {
        Map<String, List<String>> d = new HashMap<>();
        events.forEach(e -> d.put(e.id(), List.of("archive", "analytics")));
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void stores_every_event_of_a_request_and_queues_its_destinations(String kind) {
        try (Database db = open(kind)) {
            List<CanonicalEvent> batch = events(100, "m");
            StoreResult r = new Journal(db).store("sendgrid", null, batch, everywhere(batch), NOW);
            assertThat(r).isEqualTo(new StoreResult(batch.stream().map(CanonicalEvent::id).toList(), 0));
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(100);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE status = 'pending'")).isEqualTo(200);
            assertThat(Rows.strings(db.dataSource(), "SELECT recipient FROM hub_event WHERE message_id = ?", "m7"))
                    .containsExactly("user7@example.com");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storing_the_same_events_again_adds_nothing_and_queues_nothing(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            List<CanonicalEvent> batch = events(10, "m");
            journal.store("sendgrid", null, batch, everywhere(batch), NOW);
            List<CanonicalEvent> again = new ArrayList<>(events(10, "m"));
            again.addAll(events(3, "new"));
            StoreResult r = journal.store("sendgrid", null, again, everywhere(again), NOW);
            assertThat(r).isEqualTo(new StoreResult(events(3, "new").stream().map(CanonicalEvent::id).toList(), 10));
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(13);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(26);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_duplicate_inside_one_request_is_stored_once(String kind) {
        try (Database db = open(kind)) {
            List<CanonicalEvent> batch = new ArrayList<>(events(2, "m"));
            batch.add(batch.get(0));
            StoreResult r = new Journal(db).store("sendgrid", null, batch, Map.of(), NOW);
            assertThat(r).isEqualTo(new StoreResult(List.of(batch.get(0).id(), batch.get(1).id()), 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrent_stores_of_the_same_batch_store_each_event_once(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            List<CanonicalEvent> batch = events(50, "m");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<StoreResult>> tasks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    tasks.add(() -> journal.store("sendgrid", null, batch, everywhere(batch), NOW));
                }
                List<String> accepted = new ArrayList<>();
                for (Future<StoreResult> f : pool.invokeAll(tasks)) {
                    StoreResult r = f.get();
                    assertThat(r.accepted() + r.duplicates()).isEqualTo(50);
                    accepted.addAll(r.acceptedIds());
                }
                // each event is reported new by exactly one of the racing requests
                assertThat(accepted).containsExactlyInAnyOrderElementsOf(batch.stream().map(CanonicalEvent::id).toList());
            } finally {
                pool.shutdownNow();
            }
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(50);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(100);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_replayed_token_is_refused_and_stores_nothing(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            journal.store("mailgun", "tok-1", events(1, "a"), Map.of(), NOW);
            assertThatThrownBy(() -> journal.store("mailgun", "tok-1", events(1, "b"), Map.of(), NOW))
                    .isInstanceOf(WebhookRejection.class)
                    .satisfies(e -> assertThat(((WebhookRejection) e).status()).isEqualTo(401));
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(1);
            // the same token from another vendor is another token
            assertThat(journal.store("othervendor", "tok-1", events(1, "c"), Map.of(), NOW).accepted()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_write_that_fails_midway_on_a_data_error_leaves_nothing_behind_and_is_a_400_not_a_503(String kind) {
        try (Database db = open(kind)) {
            List<CanonicalEvent> batch = new ArrayList<>(events(5, "m"));
            // an esp key longer than the column allows makes the database refuse the last row (SQLState 22001):
            // the same request would fail forever, so it must not be a 503 that the ESP retries
            batch.add(CanonicalEvent.builder("x".repeat(200)).type(EventType.OPENED).recipient("z@example.com").build(NOW, NOW));
            assertThatThrownBy(() -> new Journal(db).store("sendgrid", "tok-2", batch, everywhere(batch), NOW))
                    .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("SQLState 22001");
                    });
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isZero();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isZero();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_replay_token")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_id_longer_than_its_column_is_refused_with_400_naming_it_and_stores_nothing(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            List<CanonicalEvent> batch = new ArrayList<>(events(2, "ok"));
            batch.add(CanonicalEvent.builder("sendgrid").type(EventType.OPENED).recipient("r@example.com")
                    .messageId("m".repeat(3_000_000)).build(NOW, NOW));
            assertThatThrownBy(() -> journal.store("sendgrid", null, batch, everywhere(batch), NOW))
                    .isInstanceOfSatisfying(WebhookRejection.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("event 2: message_id is 3000000 characters long");
                    });
            List<CanonicalEvent> longRecipient = List.of(CanonicalEvent.builder("sendgrid").type(EventType.OPENED)
                    .recipient("r".repeat(600) + "@example.com").build(NOW, NOW));
            assertThatThrownBy(() -> journal.store("sendgrid", null, longRecipient, Map.of(), NOW))
                    .hasMessageStartingWith("event 0: recipient is 612 characters long");
            assertThatThrownBy(() -> journal.store("mailgun", "t".repeat(300), events(1, "tok"), Map.of(), NOW))
                    .hasMessageContaining("token is 300 characters long");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_text_of_megabytes_outside_the_id_columns_is_stored_whole(String kind) {
        try (Database db = open(kind)) {
            String reason = "r".repeat(3_000_000);
            List<CanonicalEvent> one = List.of(CanonicalEvent.builder("sendgrid").type(EventType.BOUNCED)
                    .recipient("big@example.com").messageId("big-1").reason(reason).url("https://x/" + "u".repeat(100_000))
                    .build(NOW, NOW));
            assertThat(new Journal(db).store("sendgrid", null, one, Map.of(), NOW).accepted()).isEqualTo(1);
            String body = Rows.strings(db.dataSource(), "SELECT body FROM hub_event WHERE message_id = ?", "big-1").get(0);
            assertThat(body).contains("\"reason\":\"" + reason + "\"");
        }
    }

    @Test
    void only_data_and_integrity_errors_count_as_the_requests_fault() {
        assertThat(Journal.isDataError(new SQLException("too long", "22001"))).isTrue();
        assertThat(Journal.isDataError(new SQLException("NUL in text", "22021"))).isTrue();
        assertThat(Journal.isDataError(new SQLException("not null", "23502"))).isTrue();
        assertThat(Journal.isDataError(new SQLException("race on a new id", "23505"))).isFalse();
        assertThat(Journal.isDataError(new SQLException("connection failure", "08006"))).isFalse();
        assertThat(Journal.isDataError(new SQLException("too many connections", "53300"))).isFalse();
        assertThat(Journal.isDataError(new SQLException("no state"))).isFalse();
    }

    @Test
    void a_deadlock_is_retried_not_blamed_on_the_request() {
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        assertThat(Journal.isDeadlock(deadlock)).isTrue();
        assertThat(Journal.isDeadlock(new SQLException("wrapped", "XX000", deadlock))).isTrue();
        assertThat(Journal.isDataError(deadlock)).isFalse();
        assertThat(Journal.isDeadlock(new SQLException("race on a new id", "23505"))).isFalse();
        assertThat(Journal.isDeadlock(new SQLException("no state"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void expired_replay_tokens_are_purged(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            journal.store("mailgun", "old", List.of(), Map.of(), NOW.minus(Duration.ofDays(2)));
            journal.store("mailgun", "fresh", List.of(), Map.of(), NOW);
            assertThat(journal.purgeReplayTokens(NOW.minus(Duration.ofDays(1)))).isEqualTo(1);
            assertThat(Rows.strings(db.dataSource(), "SELECT token FROM hub_replay_token")).containsExactly("fresh");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void maintenance_purges_more_than_one_batch_of_old_events_and_settled_deliveries(String kind) throws Exception {
        int n = BatchedDelete.BATCH + 250;
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            Instant old = NOW.minus(Duration.ofDays(40));
            for (int from = 0; from < n; from += 1000) {
                List<CanonicalEvent> batch = events(Math.min(1000, n - from), "bulk" + from + "-", old);
                journal.store("sendgrid", null, batch, everywhere(batch), old);
            }
            List<CanonicalEvent> fresh = events(2, "fresh");
            journal.store("sendgrid", null, fresh, everywhere(fresh), NOW);
            try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
                st.executeUpdate("UPDATE hub_delivery SET status = 'delivered', updated_at = " + old.toEpochMilli()
                        + " WHERE created_at < " + NOW.toEpochMilli());
            }
            assertThat(journal.purgeSettledDeliveries(NOW.minus(Duration.ofDays(30)))).isEqualTo(2 * n);
            assertThat(journal.purgeEvents(NOW.minus(Duration.ofDays(30)), List.of())).isEqualTo(n);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(2);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void maintenance_drops_old_events_and_settled_deliveries_but_keeps_pending_work(String kind) {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db);
            Instant old = NOW.minus(Duration.ofDays(40));
            List<CanonicalEvent> oldBatch = events(3, "old", old);
            journal.store("sendgrid", null, oldBatch, everywhere(oldBatch), old);
            List<CanonicalEvent> fresh = events(2, "fresh");
            journal.store("sendgrid", null, fresh, everywhere(fresh), NOW);
            // two of the old events were delivered everywhere; the third still waits
            try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(
                    "UPDATE hub_delivery SET status = 'delivered' WHERE event_id <> ? AND event_id IN (?, ?, ?)")) {
                ps.setString(1, oldBatch.get(2).id());
                ps.setString(2, oldBatch.get(0).id());
                ps.setString(3, oldBatch.get(1).id());
                ps.setString(4, oldBatch.get(2).id());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            new JournalMaintenance(journal, Duration.ofDays(30), Duration.ofDays(1),
                    Clock.fixed(NOW, ZoneOffset.UTC), List.of()).run();
            assertThat(Rows.strings(db.dataSource(), "SELECT message_id FROM hub_event ORDER BY message_id"))
                    .containsExactly("fresh0", "fresh1", "old2");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE status = 'delivered'")).isZero();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(6);
        }
    }
}
