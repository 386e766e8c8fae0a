package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * H2 at WRITE_DELAY=0 leaves its partly dead chunks to nobody: the hub's housekeeping rewrites them (and the data
 * stays as it was); on PostgreSQL it has nothing to do.
 */
class H2HousekeepingTest {
    private final List<String> urls = new ArrayList<>();

    @AfterEach
    void drop() {
        urls.forEach(TestDatabases::drop);
    }

    @Test
    void rows_updated_commit_by_commit_leave_sparse_chunks_that_it_rewrites_keeping_every_row() throws Exception {
        String url = TestDatabases.h2();
        try (Database db = TestDatabases.open(url, 2)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                // H2 rewrites only chunks older than its retention time (45 s by default): none, for this test
                st.execute("SET RETENTION_TIME 0");
                st.execute("CREATE TABLE churn (id INT PRIMARY KEY, n BIGINT NOT NULL, pad VARCHAR(400) NOT NULL)");
                st.execute("INSERT INTO churn SELECT X, 0, REPEAT('x', 400) FROM SYSTEM_RANGE(1, 20000)");
            }
            // what the delivery queues and the insight figures do: the same rows updated, one small commit at a time
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE churn SET n = n + 1 WHERE id BETWEEN ? AND ?")) {
                for (int round = 0; round < 3; round++) {
                    for (int from = 1; from <= 20000; from += 50) {
                        ps.setInt(1, from);
                        ps.setInt(2, from + 49);
                        ps.executeUpdate();
                    }
                }
            }
            H2Housekeeping housekeeping = new H2Housekeeping(5_000, db.dialect(), db.dataSource(), db.dialect(),
                    db.dataSource());
            assertThat(housekeeping.run()).as("sparse chunks rewritten").isPositive();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM churn WHERE n = 3")).isEqualTo(20000);
        }
    }

    @Test
    void chunks_written_by_big_commits_are_rewritten_too_though_their_live_data_exceeds_a_small_call()
            throws Exception {
        String url = TestDatabases.h2();
        try (Database db = TestDatabases.open(url, 2)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0");
                st.execute("CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(400) NOT NULL)");
                // what a burst of batches writes: commits of many rows each, so chunks of megabytes
                st.execute("INSERT INTO bulk SELECT X, REPEAT('x', 400) FROM SYSTEM_RANGE(1, 40000)");
                // three runs of 1,000 rows in every four replaced: each big chunk keeps a quarter of its pages live,
                // still megabytes, more than one call of WRITE_BYTES may rewrite
                st.execute("UPDATE bulk SET pad = REPEAT('y', 400) WHERE MOD(id / 1000, 4) <> 0");
            }
            int before = fillRate(db);
            assertThat(before).as("chunks' fill rate before").isLessThan(75);
            H2Housekeeping housekeeping = new H2Housekeeping(1_000, db.dialect(), db.dataSource(), db.dialect(),
                    db.dataSource());
            assertThat(housekeeping.run()).as("rewrites of chunks whose live data is megabytes").isPositive();
            housekeeping.run();
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(H2Housekeeping.store(c).hasUnsavedChanges())
                        .as("rewritten pages stored though nothing else commits (an idle hub)").isFalse();
            }
            // dead chunks are freed at a commit: the hub commits all the time
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    st.execute("UPDATE bulk SET pad = pad WHERE id = 1");
                    housekeeping.run();
                    assertThat(fillRate(db)).as("chunks' fill rate, against %d%% before", before)
                            .isGreaterThanOrEqualTo(85);
                });
            }
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM bulk WHERE pad = REPEAT('y', 400)"))
                    .isEqualTo(30000);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM bulk")).isEqualTo(40000);
        }
    }

    private static Path fileOf(String h2Url) {
        return Path.of(h2Url.substring("jdbc:h2:file:".length(), h2Url.indexOf(';')) + ".mv.db");
    }

    /** The share of the file's blocks in use (the chunks', live or dead within the retention time). */
    private static int fileFillRate(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return H2Housekeeping.store(c).getFileStore().getFillRate();
        }
    }

    private static int fillRate(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return H2Housekeeping.store(c).getFileStore().getChunksFillRate();
        }
    }

    @Test
    void a_file_whose_rows_are_rewritten_again_and_again_comes_back_to_a_few_times_its_live_data() throws Exception {
        String url = TestDatabases.h2();
        Path file = fileOf(url);
        try (Database db = TestDatabases.open(url, 2)) {
            assertThat(Rows.strings(db.dataSource(), "SELECT DISTINCT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                    + "WHERE SETTING_NAME = 'RETENTION_TIME'"))
                    .containsExactly(String.valueOf(H2Housekeeping.RETENTION_MILLIS));
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE churn (id INT PRIMARY KEY, n BIGINT NOT NULL, pad VARCHAR(400) NOT NULL)");
                st.execute("INSERT INTO churn SELECT X, 0, REPEAT('x', 400) FROM SYSTEM_RANGE(1, 20000)");
            }
            long live = Files.size(file);
            H2Housekeeping housekeeping = new H2Housekeeping(250, db.dialect(), db.dataSource(), db.dialect(),
                    db.dataSource());
            // every row rewritten 15 times, 50 rows a commit: H2 writes about 15 times the live data
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE churn SET n = n + 1 WHERE id BETWEEN ? AND ?")) {
                for (int round = 0; round < 15; round++) {
                    for (int from = 1; from <= 20000; from += 50) {
                        ps.setInt(1, from);
                        ps.setInt(2, from + 49);
                        ps.executeUpdate();
                    }
                    housekeeping.run();
                }
                // dead chunks are freed at a commit once the retention time has passed: the hub commits all the time
                await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    ps.setInt(1, 1);
                    ps.setInt(2, 1);
                    ps.executeUpdate();
                    housekeeping.run();
                    assertThat(Files.size(file)).as("file size against %d bytes live", live).isLessThan(3 * live);
                });
            }
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM churn WHERE n >= 15")).isEqualTo(20000);
        }
    }

    @Test
    void live_chunks_at_the_end_of_the_file_are_moved_to_its_free_start_so_that_the_file_is_cut_back()
            throws Exception {
        String url = TestDatabases.h2();
        Path file = fileOf(url);
        try (Database db = TestDatabases.open(url, 2)) {
            // rows written first and deleted, and rows written after them that stay, in commits small enough that
            // each chunk keeps nearly all it holds: the dead space is the file's start, the live chunks its end, and
            // no chunk is sparse enough to be rewritten; H2 cuts a file back only to its last chunk in use
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 600000");   // no dead space used again while the two are written
                st.execute("CREATE TABLE early (id INT PRIMARY KEY, pad VARCHAR(400) NOT NULL)");
                st.execute("CREATE TABLE late (id INT PRIMARY KEY, pad VARCHAR(400) NOT NULL)");
                for (int from = 1; from <= 60000; from += 1000) {
                    st.execute("INSERT INTO early SELECT X, REPEAT('e', 400) FROM SYSTEM_RANGE(" + from + ", "
                            + (from + 999) + ")");
                }
                for (int from = 1; from <= 20000; from += 1000) {
                    st.execute("INSERT INTO late SELECT X, REPEAT('l', 400) FROM SYSTEM_RANGE(" + from + ", "
                            + (from + 999) + ")");
                }
                st.execute("SET RETENTION_TIME 0");
                st.execute("DROP TABLE early");
            }
            H2Housekeeping housekeeping = new H2Housekeeping(250, db.dialect(), db.dataSource(), db.dialect(),
                    db.dataSource());
            long before = Files.size(file);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    st.executeUpdate("UPDATE late SET pad = pad WHERE id = 1");
                    housekeeping.run();
                    assertThat(fileFillRate(db)).as("share of the file's blocks in use")
                            .isGreaterThanOrEqualTo(H2Housekeeping.FILE_FILL_RATE);
                });
            }
            assertThat(Files.size(file)).as("file size against %d bytes before", before).isLessThan(before / 2);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM late WHERE pad = REPEAT('l', 400)"))
                    .isEqualTo(20000);
        }
    }

    @Test
    void on_postgresql_it_has_nothing_to_do() {
        String url = TestDatabases.postgres();
        urls.add(url);
        try (Database db = TestDatabases.open(url, 2)) {
            assertThat(new H2Housekeeping(1_000, db.dialect(), db.dataSource(), db.dialect(), db.dataSource()).run())
                    .isZero();
        }
    }
}
