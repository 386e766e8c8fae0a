package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.emaileventhub.webhook.WebhookRejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group commit on H2 and PostgreSQL: requests that arrive while a commit is in flight share the next
 * transaction, each still gets its own answer, and one request's bad rows or used token fail it alone.
 * A row lock held by another connection keeps the first group in flight while the next one forms.
 */
class JournalGroupCommitTest {
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    private static Database open(String kind) {
        return TestDatabases.open(kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres(), 10);
    }

    private static CanonicalEvent event(String messageId) {
        return CanonicalEvent.builder("postmark").type(EventType.DELIVERED).recipient(messageId + "@example.com")
                .messageId(messageId).occurredAt(NOW).build(NOW, NOW);
    }

    private static Map<String, List<String>> archived(List<CanonicalEvent> events) {
        Map<String, List<String>> d = new HashMap<>();
        events.forEach(e -> d.put(e.id(), List.of("archive")));
        return d;
    }

    /** Inserts the blocker's row uncommitted: a request storing the same event waits on it, inside its group. */
    private static Connection holdRow(Database db, CanonicalEvent blocker) throws Exception {
        Connection c = db.dataSource().getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_event (id, esp, type, occurred_at, received_at, body) "
                + "VALUES (?, 'postmark', 'delivered', 0, 0, '{}')")) {
            ps.setString(1, blocker.id());
            ps.executeUpdate();
        }
        return c;
    }

    private Future<StoreResult> store(Journal journal, String token, List<CanonicalEvent> events) {
        return pool.submit(() -> journal.store("postmark", token, events, archived(events), NOW));
    }

    private static RuntimeException failure(Future<StoreResult> f) throws InterruptedException {
        try {
            f.get();
            throw new AssertionError("expected the request to fail");
        } catch (ExecutionException e) {
            return (RuntimeException) e.getCause();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void requests_arriving_during_a_commit_share_one_transaction_and_each_gets_its_own_answer(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db, new JournalSettings(1, 1000));
            CanonicalEvent blocker = event("blocker");
            Future<StoreResult> first;
            List<Future<StoreResult>> rest = new ArrayList<>();
            try (Connection held = holdRow(db, blocker)) {
                first = store(journal, null, List.of(blocker));
                await().until(() -> journal.groupCommits() == 1);
                for (int i = 0; i < 10; i++) {
                    // request i repeats the event of request i-1: in one group the earlier request owns it
                    List<CanonicalEvent> events = i == 0 ? List.of(event("m0")) : List.of(event("m" + (i - 1)), event("m" + i));
                    rest.add(store(journal, null, events));
                    int queued = i + 1;
                    await().until(() -> journal.queuedRequests() == queued);
                }
                held.rollback();
            }
            assertThat(first.get().accepted()).isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                StoreResult r = rest.get(i).get();
                assertThat(r.acceptedIds()).containsExactly(event("m" + i).id());
                assertThat(r.duplicates()).isEqualTo(i == 0 ? 0 : 1);
            }
            assertThat(journal.groupCommits()).isEqualTo(2);
            assertThat(journal.groupedRequests()).isEqualTo(11);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event")).isEqualTo(11);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'archive'"))
                    .isEqualTo(11);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_request_with_rows_the_database_refuses_fails_alone_and_its_neighbours_are_stored(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db, new JournalSettings(1, 1000));
            CanonicalEvent blocker = event("blocker");
            // an esp key longer than its column: the database refuses the row (SQLState 22001)
            CanonicalEvent bad = CanonicalEvent.builder("x".repeat(200)).type(EventType.OPENED)
                    .recipient("bad@example.com").messageId("bad").occurredAt(NOW).build(NOW, NOW);
            Future<StoreResult> first;
            Future<StoreResult> before;
            Future<StoreResult> refused;
            Future<StoreResult> after;
            try (Connection held = holdRow(db, blocker)) {
                first = store(journal, null, List.of(blocker));
                await().until(() -> journal.groupCommits() == 1);
                before = store(journal, "token-before", List.of(event("a")));
                await().until(() -> journal.queuedRequests() == 1);
                refused = store(journal, "token-bad", List.of(event("b"), bad));
                await().until(() -> journal.queuedRequests() == 2);
                after = store(journal, null, List.of(event("c")));
                await().until(() -> journal.queuedRequests() == 3);
                held.rollback();
            }
            first.get();
            assertThat(before.get().accepted()).isEqualTo(1);
            assertThat(after.get().accepted()).isEqualTo(1);
            assertThat(failure(refused)).isInstanceOfSatisfying(WebhookRejection.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains("SQLState 22001");
            });
            assertThat(Rows.strings(db.dataSource(), "SELECT message_id FROM hub_event ORDER BY message_id"))
                    .containsExactly("a", "blocker", "c");
            // the refused request's token was not spent: the ESP may send it again, corrected
            assertThat(Rows.strings(db.dataSource(), "SELECT token FROM hub_replay_token")).containsExactly("token-before");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_token_used_twice_in_one_group_or_already_stored_is_refused_as_a_replay(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db, new JournalSettings(1, 1000));
            journal.store("postmark", "used", List.of(event("earlier")), Map.of(), NOW);
            CanonicalEvent blocker = event("blocker");
            Future<StoreResult> first;
            Future<StoreResult> once;
            Future<StoreResult> twice;
            Future<StoreResult> stale;
            try (Connection held = holdRow(db, blocker)) {
                first = store(journal, null, List.of(blocker));
                await().until(() -> journal.groupCommits() == 2);
                once = store(journal, "fresh", List.of(event("x")));
                await().until(() -> journal.queuedRequests() == 1);
                twice = store(journal, "fresh", List.of(event("y")));
                await().until(() -> journal.queuedRequests() == 2);
                stale = store(journal, "used", List.of(event("z")));
                await().until(() -> journal.queuedRequests() == 3);
                held.rollback();
            }
            first.get();
            assertThat(once.get().accepted()).isEqualTo(1);
            for (Future<StoreResult> replay : List.of(twice, stale)) {
                assertThat(failure(replay)).isInstanceOfSatisfying(WebhookRejection.class,
                        e -> assertThat(e.status()).isEqualTo(401));
            }
            assertThat(Rows.strings(db.dataSource(), "SELECT message_id FROM hub_event ORDER BY message_id"))
                    .containsExactly("blocker", "earlier", "x");
            assertThat(journal.groupCommits()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void many_concurrent_writers_store_each_event_once_with_its_deliveries(String kind) throws Exception {
        try (Database db = open(kind)) {
            Journal journal = new Journal(db, new JournalSettings(4, 200));
            List<Future<List<StoreResult>>> threads = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                int seed = t;
                threads.add(pool.submit(() -> {
                    List<StoreResult> results = new ArrayList<>();
                    for (int i = 0; i < 60; i++) {
                        // ids from a shared pool of 300: racing requests repeat each other's events
                        int a = (seed * 37 + i * 11) % 300;
                        List<CanonicalEvent> events = List.of(event("p" + a), event("p" + (a + 1) % 300));
                        results.add(journal.store("postmark", null, events, archived(events), NOW));
                    }
                    return results;
                }));
            }
            List<String> accepted = new ArrayList<>();
            int answered = 0;
            for (Future<List<StoreResult>> f : threads) {
                for (StoreResult r : f.get()) {
                    assertThat(r.accepted() + r.duplicates()).isEqualTo(2);
                    accepted.addAll(r.acceptedIds());
                    answered++;
                }
            }
            assertThat(answered).isEqualTo(720);
            long stored = Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_event");
            // every stored event was reported new to exactly one request, and queued once
            assertThat(accepted).doesNotHaveDuplicates().hasSize((int) stored);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_delivery")).isEqualTo(stored);
            assertThat(journal.groupedRequests()).isGreaterThanOrEqualTo(720);
        }
    }
}
