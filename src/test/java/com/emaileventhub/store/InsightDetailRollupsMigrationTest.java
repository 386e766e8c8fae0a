package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database kept before the link and bounce-reason rollups existed (schema version 11) gets them summed from its
 * per-send rows when it is migrated, so the links and bounce reasons of its past read the same as before, whether a
 * page filters by tag set or domain (grain 2) or not (grain 3, summed from grain 2 by V14).
 */
class InsightDetailRollupsMigrationTest {
    private static final long DAY = 86_400_000L;
    private static final long D0 = Instant.parse("2030-05-06T00:00:00Z").toEpochMilli();

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void migration_sums_the_links_and_bounce_reasons_already_kept(TestDatabases.Kind kind) throws SQLException {
        String url = kind == TestDatabases.Kind.H2 ? TestDatabases.h2() : TestDatabases.postgres();
        try (Database db = new Database(url, TestDatabases.user(url), "", 2, Duration.ofSeconds(3))) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target("11").load().migrate();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                // three sends on day 0 (two tagged, one at 10:20) and one on day 1
                send(s, "a", D0 + 3_600_000L, "t1");
                send(s, "b", D0 + 37_200_000L, "t1");
                send(s, "c", D0 + 37_300_000L, "");
                send(s, "d", D0 + DAY + 60_000L, "");
                link(s, "a", "https://x.io/p", 2, 0);
                link(s, "b", "https://x.io/p", 0, 3);
                link(s, "c", "https://x.io/p", 1, 1);
                link(s, "d", "https://x.io/q", 1, 0);
                s.executeUpdate("INSERT INTO insight_send_bounce VALUES ('ses', 'a', 'a@example.com', 'k1', 'hard', '550 no')");
                s.executeUpdate("INSERT INTO insight_send_bounce VALUES ('ses', 'b', 'b@example.com', 'k1', 'hard', '550 no')");
                s.executeUpdate("INSERT INTO insight_send_bounce VALUES ('ses', 'd', 'd@example.com', '', '', NULL)");
            }
            db.migrate();

            InsightQuery query = new InsightQuery(db);
            InsightReader reader = new InsightReader(query, Clock.fixed(Instant.ofEpochMilli(D0 + 5 * DAY),
                    ZoneOffset.UTC), Duration.ofDays(92));
            InsightDetails details = new InsightDetails(query);
            // day 0 from its daily rows, and 10:15-10:30 from its quarter-hour rows
            assertThat(details.links(reader.plan(D0, D0 + DAY), null, null, 10))
                    .containsExactly(new InsightDetails.Link("https://x.io/p", 3, 2, 4));
            assertThat(details.links(reader.plan(D0 + 36_900_000L, D0 + 37_800_000L), null, null, 10))
                    .containsExactly(new InsightDetails.Link("https://x.io/p", 1, 1, 4));
            assertThat(details.links(reader.plan(D0, D0 + 2 * DAY), null, null, 10)).containsExactly(
                    new InsightDetails.Link("https://x.io/p", 3, 2, 4), new InsightDetails.Link("https://x.io/q", 1, 1, 0));
            assertThat(details.bounceReasons(reader.plan(D0, D0 + 2 * DAY), null, null, 10)).containsExactly(
                    new InsightDetails.BounceReason("550 no", "hard", 2), new InsightDetails.BounceReason(null, null, 1));
            assertThat(details.bounceReasons(reader.plan(D0, D0 + DAY), null, Set.of("example.com"), 10))
                    .containsExactly(new InsightDetails.BounceReason("550 no", "hard", 2));
            assertThat(details.bounceReasons(reader.plan(D0, D0 + DAY), null, Set.of("other.org"), 10)).isEmpty();
            assertThat(details.links(reader.plan(D0, D0 + 2 * DAY), null, Set.of("t1"), 10))
                    .containsExactly(new InsightDetails.Link("https://x.io/p", 2, 1, 3));
            // days by tag set: (p, t1) and (p, none) on day 0, (q, none) on day 1; days of every tag set: p on day 0,
            // q on day 1; quarters: the same four sends in four rows
            assertThat(rows(db, "insight_link_rollup")).isEqualTo(9);
        } finally {
            if (kind == TestDatabases.Kind.POSTGRESQL) {
                TestDatabases.drop(url);
            }
        }
    }

    private static void send(Statement s, String key, long at, String tagset) throws SQLException {
        s.executeUpdate("INSERT INTO insight_send (esp, send_key, recipient, sent_at, recipient_domain, tagset, flags, events, "
                + "opens, clicks, machine_opens, machine_clicks, delivered_at, last_event_at) VALUES ('ses', '" + key + "', '"
                + key + "@example.com', " + at + ", 'example.com', '" + tagset + "', 0, 1, 0, 0, 0, 0, NULL, " + at + ")");
    }

    private static void link(Statement s, String key, String url, int clicks, int machine) throws SQLException {
        s.executeUpdate("INSERT INTO insight_send_link VALUES ('ses', '" + key + "', '" + key + "@example.com', '"
                + url.hashCode() + "', '" + url + "', " + clicks + ", " + machine + ")");
    }

    private static long rows(Database db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
