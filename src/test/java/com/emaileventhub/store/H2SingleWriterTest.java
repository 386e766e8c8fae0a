package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An embedded H2 file takes one writing transaction at a time (H2 writes its file map by map while other transactions
 * change them, so a kill could keep half a transaction); queries do not wait, and other databases are not wrapped.
 */
class H2SingleWriterTest {

    @Test
    void a_write_waits_until_the_transaction_that_wrote_first_has_committed() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.h2(), 4)) {
            createTable(db);
            try (Connection first = db.dataSource().getConnection(); Statement st = first.createStatement()) {
                first.setAutoCommit(false);
                st.executeUpdate("INSERT INTO single_writer VALUES (1)");
                CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> update(db, "INSERT INTO single_writer VALUES (2)"));
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
                first.commit();
                assertThat(second.get()).isEqualTo(1);
            }
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM single_writer")).isEqualTo(2);
        }
    }

    @Test
    void work_run_alone_waits_for_the_writing_transaction_and_a_write_waits_for_it() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.h2(), 4)) {
            createTable(db);
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<Boolean> alone;
            try (Connection first = db.dataSource().getConnection(); Statement st = first.createStatement()) {
                first.setAutoCommit(false);
                st.executeUpdate("INSERT INTO single_writer VALUES (1)");
                alone = CompletableFuture.supplyAsync(() -> H2SingleWriter.alone(db.dataSource(), () -> {
                    order.add("alone");
                    CompletableFuture<Integer> write = CompletableFuture.supplyAsync(
                            () -> update(db, "INSERT INTO single_writer VALUES (2)"));
                    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !write.isDone());
                    order.add("alone done");
                    write.thenRun(() -> order.add("write"));
                }));
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(order::isEmpty);
                order.add("commit");
                first.commit();
            }
            assertThat(alone.get()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 4);
            assertThat(order).containsExactly("commit", "alone", "alone done", "write");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM single_writer")).isEqualTo(2);
        }
    }

    @Test
    void a_query_does_not_wait_for_a_writing_transaction_and_sees_only_what_is_committed() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.h2(), 4)) {
            createTable(db);
            try (Connection writer = db.dataSource().getConnection(); Statement st = writer.createStatement()) {
                writer.setAutoCommit(false);
                st.executeUpdate("INSERT INTO single_writer VALUES (1)");
                CompletableFuture<Long> reader = CompletableFuture.supplyAsync(
                        () -> Rows.count(db.dataSource(), "SELECT COUNT(*) FROM single_writer"));
                assertThat(reader.get()).isZero();
                writer.rollback();
            }
        }
    }

    @Test
    void a_write_that_waits_longer_than_the_connection_timeout_fails_as_storage_unavailable() throws Exception {
        String url = TestDatabases.h2();
        try (Database db = new Database(url, "sa", "", 4, Duration.ofMillis(300))) {
            db.migrate();
            createTable(db);
            try (Connection first = db.dataSource().getConnection(); Statement st = first.createStatement()) {
                first.setAutoCommit(false);
                st.executeQuery("SELECT id FROM single_writer FOR UPDATE").close();
                CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> update(db, "DELETE FROM single_writer"));
                assertThatThrownBy(second::join).rootCause().isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("one writing transaction at a time");
                first.rollback();
            }
            // the lock went with the rollback: the next writer gets it at once
            assertThat(update(db, "INSERT INTO single_writer VALUES (3)")).isEqualTo(1);
        }
    }

    @Test
    void a_transaction_that_wrote_on_one_thread_and_commits_on_another_lets_the_next_writer_in() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.h2(), 4)) {
            createTable(db);
            Connection first = db.dataSource().getConnection();
            first.setAutoCommit(false);
            try (Statement st = first.createStatement()) {
                st.executeUpdate("INSERT INTO single_writer VALUES (1)");
            }
            // a pooled connection handed to another thread (an executor, a callback) ends its transaction there
            CompletableFuture.runAsync(() -> {
                try (first) {
                    first.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get();
            assertThat(CompletableFuture.supplyAsync(() -> update(db, "INSERT INTO single_writer VALUES (2)"))
                    .get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(update(db, "INSERT INTO single_writer VALUES (3)")).isEqualTo(1);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM single_writer")).isEqualTo(3);
        }
    }

    @Test
    void a_released_lock_goes_to_a_waiting_intake_writer_before_the_rest_that_queued_earlier() throws Exception {
        assertThat(releaseOrder(new H2SingleWriter.WriterLock(60_000), Duration.ZERO))
                .containsExactly("intake", "destination");
    }

    @Test
    void a_writer_of_the_rest_that_waited_the_deferral_goes_before_intake() throws Exception {
        assertThat(releaseOrder(new H2SingleWriter.WriterLock(50), Duration.ofMillis(100)))
                .containsExactly("destination", "intake");
    }

    /**
     * The order in which a destination, queued first, and an intake writer, queued once the destination has waited
     * {@code destinationWaits}, get the lock when its holder releases it.
     */
    private static List<String> releaseOrder(H2SingleWriter.WriterLock lock, Duration destinationWaits)
            throws Exception {
        assertThat(lock.acquire(1000, false)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> destination = CompletableFuture.runAsync(() -> take(lock, false, "destination", order));
        await().pollDelay(destinationWaits).atMost(Duration.ofSeconds(5)).until(() -> lock.waiting() == 1);
        CompletableFuture<Void> intake = CompletableFuture.runAsync(() -> take(lock, true, "intake", order));
        await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiting() == 2);
        lock.release();
        CompletableFuture.allOf(destination, intake).get(5, TimeUnit.SECONDS);
        return order;
    }

    @Test
    void a_writer_that_gave_up_waiting_leaves_the_queue_and_the_lock_is_free_after_release() throws Exception {
        H2SingleWriter.WriterLock lock = new H2SingleWriter.WriterLock();
        assertThat(lock.acquire(1000, false)).isTrue();
        assertThat(acquireElsewhere(lock, 100, true)).isFalse();
        assertThat(lock.waiting()).isZero();
        lock.release();
        // nobody holds it now: another thread gets it at once
        assertThat(acquireElsewhere(lock, 0, false)).isTrue();
    }

    /** What {@code lock.acquire(timeoutMillis, intake)} answers on another thread. */
    private static boolean acquireElsewhere(H2SingleWriter.WriterLock lock, long timeoutMillis, boolean intake)
            throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(timeoutMillis, intake);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void the_journal_s_group_commit_writes_before_a_destination_that_waited_for_the_same_transaction() throws Exception {
        String url = TestDatabases.h2();
        H2SingleWriter.WriterLock lock = H2SingleWriter.lockOf(H2SingleWriter.file(url));
        lock.deferFor(60_000);
        try (Database db = TestDatabases.open(url, 4)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE write_order (seq INT AUTO_INCREMENT PRIMARY KEY, writer VARCHAR(16))");
            }
            try (Connection first = db.dataSource().getConnection(); Statement st = first.createStatement()) {
                first.setAutoCommit(false);
                st.executeUpdate("INSERT INTO write_order (writer) VALUES ('first')");
                CompletableFuture<Integer> destination = CompletableFuture.supplyAsync(
                        () -> update(db, "INSERT INTO write_order (writer) VALUES ('destination')"));
                await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiting() == 1);
                CompletableFuture<Integer> intake = CompletableFuture.supplyAsync(() -> {
                    try {
                        return H2SingleWriter.intakeFirst(() -> update(db, "INSERT INTO write_order (writer) VALUES ('intake')"));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiting() == 2);
                first.commit();
                assertThat(intake.get(5, TimeUnit.SECONDS) + destination.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            }
            assertThat(Rows.strings(db.dataSource(), "SELECT writer FROM write_order ORDER BY seq"))
                    .containsExactly("first", "intake", "destination");
        } finally {
            lock.deferFor(H2SingleWriter.WriterLock.DEFER_MILLIS);
        }
    }

    private static void take(H2SingleWriter.WriterLock lock, boolean intake, String name, List<String> order) {
        try {
            assertThat(lock.acquire(10_000, intake)).isTrue();
            order.add(name);
            lock.release();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void at_debug_a_transaction_that_held_the_lock_long_is_logged_with_its_wait_and_its_first_writing_statement()
            throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.h2(), 4)) {
            createTable(db);
            List<String> lines;
            try (LogCapture log = LogCapture.atDebug(H2SingleWriter.class);
                 Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeQuery("SELECT COUNT(*) FROM single_writer").close();
                st.executeUpdate("INSERT INTO   single_writer\n VALUES (1)");
                st.executeUpdate("INSERT INTO single_writer VALUES (2)");
                // the transaction holds the lock past the threshold
                await().pollDelay(Duration.ofMillis(H2SingleWriter.LONG_HOLD_MILLIS + 30)).until(() -> !c.isClosed());
                c.commit();
                lines = log.debugLines();
            }
            assertThat(lines).singleElement().asString()
                    .matches("H2 writer lock held \\d+ ms \\(after waiting \\d+ ms\\) by .+: "
                            + "INSERT INTO single_writer VALUES \\(1\\)");
        }
    }

    @Test
    void a_long_statement_is_cut_for_the_log_line() {
        assertThat(H2SingleWriter.statementStart("MERGE INTO t (" + "c, ".repeat(40) + "z) KEY (id) VALUES (?)"))
                .hasSize(83).startsWith("MERGE INTO t (c, c,").endsWith("...");
        assertThat(H2SingleWriter.statementStart(null)).isEqualTo("(a batch of statements)");
    }

    @Test
    void every_spelling_of_an_embedded_file_names_the_same_database_and_other_urls_none() {
        Path hub = Path.of("data", "hub").toAbsolutePath();
        assertThat(H2SingleWriter.file("jdbc:h2:file:./data/hub;WRITE_DELAY=0")).isEqualTo(hub);
        assertThat(H2SingleWriter.file("jdbc:h2:./data/../data/hub")).isEqualTo(hub);
        assertThat(H2SingleWriter.file("jdbc:h2:mem:hub")).isNull();
        assertThat(H2SingleWriter.file("jdbc:h2:tcp://localhost/~/hub")).isNull();
        assertThat(H2SingleWriter.file("jdbc:postgresql://127.0.0.1:5432/test")).isNull();
    }

    @Test
    void queries_read_and_everything_else_writes_a_query_for_update_too() {
        assertThat(H2SingleWriter.writes("SELECT id FROM hub_event WHERE id = ?")).isFalse();
        assertThat(H2SingleWriter.writes(" (select 1) union all (select 2)")).isFalse();
        assertThat(H2SingleWriter.writes("WITH t AS (SELECT 1) SELECT * FROM t")).isFalse();
        assertThat(H2SingleWriter.writes("SELECT reset_at FROM lead_state WHERE recipient = ? FOR UPDATE")).isTrue();
        assertThat(H2SingleWriter.writes("INSERT INTO hub_event SELECT ?")).isTrue();
        assertThat(H2SingleWriter.writes("MERGE INTO t KEY (id) VALUES (1)")).isTrue();
        assertThat(H2SingleWriter.writes("SET RETENTION_TIME 0")).isTrue();
    }

    @Test
    void a_postgresql_data_source_is_left_as_it_is() {
        try (Database db = TestDatabases.open(TestDatabases.postgres(), 2)) {
            assertThat(db.dataSource()).isNotInstanceOf(H2SingleWriter.class);
        }
    }

    private static void createTable(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE single_writer (id INT PRIMARY KEY)");
        }
    }

    private static int update(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
