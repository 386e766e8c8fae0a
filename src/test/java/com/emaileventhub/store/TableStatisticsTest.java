package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub keeps planner statistics of its own PostgreSQL tables where autovacuum does not: a table that grew
 * from empty without them is read by sequential scan, with them by its index.
 */
class TableStatisticsTest {
    private final List<String> urls = new ArrayList<>();

    @AfterEach
    void drop() {
        urls.forEach(TestDatabases::drop);
    }

    @Test
    void a_grown_table_autovacuum_leaves_alone_is_analyzed_and_its_cached_plans_then_use_the_index() throws Exception {
        String url = TestDatabases.postgres();
        urls.add(url);
        try (Database db = TestDatabases.open(url, 3); Connection session = db.dataSource().getConnection();
             Statement st = session.createStatement()) {
            TableStatistics statistics = new TableStatistics(db);
            // whatever this server's autovacuum setting, this table is one it leaves alone
            st.execute("ALTER TABLE insight_send SET (autovacuum_enabled = false)");
            // a statement the hub runs again and again: planned once, while the table is empty, then cached (the
            // driver prepares a statement on the server from its fifth run; the generic plan is forced here)
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE lookup(varchar, varchar, varchar) AS SELECT esp FROM insight_send "
                    + "WHERE send_key IN ($1, $2, $3) FOR UPDATE");
            assertThat(plan(st)).contains("Seq Scan");
            st.execute("INSERT INTO insight_send (esp, send_key, recipient, sent_at, tagset, flags, events, opens, "
                    + "clicks, machine_opens, machine_clicks, last_event_at) SELECT 'ses', 'm' || i, 'u' || i || "
                    + "'@example.com', i, '', 0, 1, 0, 0, 0, 0, i FROM generate_series(1, 50000) AS i");
            assertThat(plan(st)).as("the cached plan of the empty table reads 50,000 rows per lookup").contains("Seq Scan");

            // the activity counters reach pg_stat_user_tables shortly after the commit
            await().atMost(Duration.ofSeconds(20)).until(() -> statistics.run().stream()
                    .anyMatch(a -> a.table().equals("insight_send")));

            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM pg_stat_user_tables WHERE schemaname = "
                    + "current_schema() AND relname = 'insight_send' AND last_analyze IS NOT NULL")).isEqualTo(1);
            assertThat(plan(st)).as("analyzed: the plan is made again, by the send_key index")
                    .contains("Index").doesNotContain("Seq Scan");
            assertThat(statistics.run()).as("nothing changed since").noneMatch(a -> a.table().equals("insight_send"));
        }
    }

    @Test
    void on_h2_it_does_nothing() {
        String url = TestDatabases.h2();
        try (Database db = TestDatabases.open(url, 2)) {
            assertThat(new TableStatistics(db).run()).isEmpty();
        }
    }

    private static String plan(Statement st) throws Exception {
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE lookup('m977', 'm1954', 'm2931')")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
        }
        return out.toString();
    }
}
