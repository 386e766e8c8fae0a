package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.api.InsightHistories.History;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.InsightDetails;
import com.emaileventhub.store.InsightPlan;
import com.emaileventhub.store.InsightQuery;
import com.emaileventhub.store.InsightReader;
import com.emaileventhub.store.InsightStore;
import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The clicked links and bounce reasons (read from their daily and quarter-hour rollups, and send by send at the
 * edges of a range) equal a brute-force computation over the history's events, when the figures take the history
 * one request at a time, in arrival order: an earlier event arriving in a later batch moves its send, and a new tag
 * its tag set, with the links and bounce reasons it already had. On H2 and PostgreSQL.
 */
class InsightDetailsPropertyTest {
    private static final Instant FIRST_WINDOW = Instant.parse("2033-03-01T05:41:00Z");
    private static final AtomicInteger WINDOWS = new AtomicInteger();
    private static final Map<TestDatabases.Kind, Database> DATABASES = new EnumMap<>(TestDatabases.Kind.class);

    @BeforeContainer
    static void open() {
        DATABASES.put(TestDatabases.Kind.H2, TestDatabases.open(TestDatabases.h2(), 4));
        DATABASES.put(TestDatabases.Kind.POSTGRESQL, TestDatabases.open(TestDatabases.postgres(), 4));
    }

    @AfterContainer
    static void close() {
        DATABASES.values().forEach(Database::close);
        DATABASES.clear();
    }

    record Case(Instant base, History history, List<StatsQuerySpec> queries) {
    }

    @Property(tries = 25, seed = "20261127", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void links_and_bounce_reasons_equal_a_brute_force_count_when_events_arrive_batch_by_batch(@ForAll("cases") Case c)
            throws SQLException {
        for (Database db : DATABASES.values()) {
            clear(db);
            InsightStore store = new InsightStore(db, Clock.systemUTC());
            c.history().requests().forEach(store::apply);
            InsightQuery query = new InsightQuery(db);
            // read now (days and quarter hours from the rollups) and a year later (quarter-hour rows no longer
            // certainly kept: all but whole days send by send)
            InsightReader now = new InsightReader(query, Clock.systemUTC(), Duration.ofDays(92));
            InsightReader later = new InsightReader(query, Clock.fixed(c.base().plus(Duration.ofDays(365)), ZoneOffset.UTC),
                    Duration.ofDays(92));
            InsightDetails details = new InsightDetails(query);
            Map<String, List<String>> tagsets = now.tagsets();
            for (StatsQuerySpec q : c.queries()) {
                for (InsightReader reader : List.of(now, later)) {
                    check(db, details, reader.plan(q.from(), q.to()), InsightReader.filter(q.filters(), tagsets).values(),
                            c.history().events(), q);
                }
            }
        }
    }

    private static void check(Database db, InsightDetails details, InsightPlan plan, Map<String, Set<String>> f,
                              List<CanonicalEvent> events, StatsQuerySpec q) {
        Map<String, List<Long>> links = new TreeMap<>();
        details.links(plan, f.get("esp"), f.get("tagset"), 1000).forEach(l ->
                links.put(l.url(), List.of(l.clicks(), l.clicked(), l.machineClicks())));
        assertThat(links).as(db.dialect() + " links " + q.query()).isEqualTo(BruteForceStats.links(events, q));
        Map<String, Long> reasons = new TreeMap<>();
        details.bounceReasons(plan, f.get("esp"), null, 1000).forEach(r ->
                reasons.put(r.reason() + "|" + r.bounceType(), r.sends()));
        assertThat(reasons).as(db.dialect() + " bounce reasons " + q.query())
                .isEqualTo(BruteForceStats.bounceReasons(events, q));
    }

    /**
     * Every try starts from empty figures: a try jqwik repeats (a failed sample is tried first next time) has the same
     * event ids and message ids in another window, which the figures would take for the same events and sends.
     */
    private static void clear(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("insight_send", "insight_send_link", "insight_send_bounce", "insight_orphan",
                    "insight_applied", "insight_tagset", "insight_rollup", "insight_link_rollup", "insight_bounce_rollup")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.create(() -> FIRST_WINDOW.plusSeconds(86_400L * (InsightHistories.WINDOW_DAYS + 20)
                * WINDOWS.getAndIncrement())).flatMap(base -> Combinators.combine(InsightHistories.histories(base),
                InsightHistories.queries(base).list().ofMinSize(4).ofMaxSize(6)).as((h, q) -> new Case(base, h, q)));
    }
}
