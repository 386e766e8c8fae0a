package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Insight maintenance removes what it must in transactions of a bounded size (a long one makes H2 keep every chunk
 * written meanwhile), and still removes all of it and nothing more: more rows than one batch, on H2 and PostgreSQL.
 */
class InsightMaintenanceBatchTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void removes_every_counted_event_record_the_journal_no_longer_holds_across_several_batches(TestDatabases.Kind kind)
            throws Exception {
        int gone = InsightMaintenance.DELETE_BATCH * 2 + 17;
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            List<CanonicalEvent> journaled = DeliveryFixtures.events(3, EventType.DELIVERED);
            DeliveryFixtures.store(db, journaled);
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "INSERT INTO insight_applied (event_id, applied_at) VALUES (?, ?)")) {
                c.setAutoCommit(false);
                for (int i = 0; i < gone; i++) {
                    ps.setString(1, String.format("gone%028d", i));
                    ps.setLong(2, 1_000L + i);
                    ps.addBatch();
                }
                for (CanonicalEvent e : journaled) {
                    ps.setString(1, e.id());
                    ps.setLong(2, 1_000L);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            }

            new InsightMaintenance(db, Duration.ofDays(92), Duration.ofDays(731), Clock.systemUTC()).run();

            assertThat(Rows.strings(db.dataSource(), "SELECT event_id FROM insight_applied ORDER BY event_id"))
                    .containsExactlyInAnyOrderElementsOf(journaled.stream().map(CanonicalEvent::id).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void removes_every_quarter_hour_link_and_bounce_row_past_the_fine_retention_and_keeps_the_newer(
            TestDatabases.Kind kind) throws Exception {
        int old = InsightMaintenance.DELETE_BATCH + 3;
        long now = System.currentTimeMillis();
        long past = now - Duration.ofDays(100).toMillis();
        long recent = now - Duration.ofDays(1).toMillis();
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement links = c.prepareStatement("INSERT INTO insight_link_rollup (grain, period, "
                         + "esp, tagset, url_key, url, clicks, clicked, machine_clicks) "
                         + "VALUES (1, ?, 'sendgrid', '', ?, 'u', 1, 1, 0)");
                 PreparedStatement bounces = c.prepareStatement("INSERT INTO insight_bounce_rollup (grain, period, "
                         + "esp, recipient_domain, reason_key, bounce_type, reason, sends) "
                         + "VALUES (1, ?, 'ses', 'x.org', ?, 'hard', 'r', 1)")) {
                c.setAutoCommit(false);
                for (int i = 0; i < old + 2; i++) {
                    for (PreparedStatement ps : List.of(links, bounces)) {
                        ps.setLong(1, i < old ? past : recent);
                        ps.setString(2, "k" + i);
                        ps.addBatch();
                    }
                }
                links.executeBatch();
                bounces.executeBatch();
                c.commit();
            }

            new InsightMaintenance(db, Duration.ofDays(92), Duration.ofDays(731), Clock.systemUTC()).run();

            for (String table : List.of("insight_link_rollup", "insight_bounce_rollup")) {
                assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM " + table + " WHERE period = ?", past))
                        .as(table).isZero();
                assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM " + table + " WHERE period = ?", recent))
                        .as(table).isEqualTo(2);
            }
        }
    }
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void removes_every_old_send_with_its_links_and_bounce_reasons_across_several_batches_and_keeps_the_newer(
            TestDatabases.Kind kind) throws Exception {
        int old = InsightMaintenance.SEND_BATCH * 2 + 7;
        long now = System.currentTimeMillis();
        long past = now - Duration.ofDays(800).toMillis();
        long recent = now - Duration.ofDays(1).toMillis();
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement sends = c.prepareStatement("INSERT INTO insight_send (esp, send_key, recipient, "
                         + "sent_at, recipient_domain, tagset, flags, events, opens, clicks, machine_opens, "
                         + "machine_clicks, delivered_at, last_event_at) VALUES ('ses', ?, ?, ?, 'x.org', '', 1, 1, 0, 1, 0, 0, "
                         + "NULL, ?)");
                 PreparedStatement links = c.prepareStatement("INSERT INTO insight_send_link (esp, send_key, recipient, "
                         + "url_key, url, clicks, machine_clicks) VALUES ('ses', ?, ?, ?, 'https://x.org/', 1, 0)");
                 PreparedStatement bounces = c.prepareStatement("INSERT INTO insight_send_bounce (esp, send_key, "
                         + "recipient, reason_key, bounce_type, reason) VALUES ('ses', ?, ?, '', 'hard', 'r')")) {
                c.setAutoCommit(false);
                for (int i = 0; i < old + 3; i++) {
                    String key = "m" + i;
                    String recipient = "r" + i + "@x.org";
                    sends.setString(1, key);
                    sends.setString(2, recipient);
                    sends.setLong(3, i < old ? past : recent);
                    sends.setLong(4, i < old ? past : recent);
                    sends.addBatch();
                    for (String url : List.of("u1", "u2")) {
                        links.setString(1, key);
                        links.setString(2, recipient);
                        links.setString(3, url);
                        links.addBatch();
                    }
                    bounces.setString(1, key);
                    bounces.setString(2, recipient);
                    bounces.addBatch();
                }
                // a link of an old send kept under another recipient: not that send's, so it stays
                links.setString(1, "m0");
                links.setString(2, "other@x.org");
                links.setString(3, "u1");
                links.addBatch();
                sends.executeBatch();
                links.executeBatch();
                bounces.executeBatch();
                c.commit();
            }

            new InsightMaintenance(db, Duration.ofDays(92), Duration.ofDays(731), Clock.systemUTC()).run();

            assertThat(Rows.strings(db.dataSource(), "SELECT send_key FROM insight_send ORDER BY send_key"))
                    .containsExactlyInAnyOrder("m" + old, "m" + (old + 1), "m" + (old + 2));
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM insight_send_link")).isEqualTo(3 * 2 + 1);
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM insight_send_link WHERE recipient = ?",
                    "other@x.org")).isEqualTo(1);
            assertThat(Rows.strings(db.dataSource(), "SELECT send_key FROM insight_send_bounce"))
                    .containsExactlyInAnyOrder("m" + old, "m" + (old + 1), "m" + (old + 2));
        }
    }
}
