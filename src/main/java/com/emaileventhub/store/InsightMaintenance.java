package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the insight figures bounded, independently of the journal: quarter-hour rows (counts, links and bounce
 * reasons) past hub.insight.fine-retention, daily rows and per-send state past hub.insight.daily-retention, and the
 * record of counted events once the journal no longer holds them (they cannot be delivered again then).
 */
public final class InsightMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(InsightMaintenance.class);
    private static final String OLD_SEND = "SELECT 1 FROM insight_send s WHERE s.esp = d.esp AND s.send_key = d.send_key "
            + "AND s.recipient = d.recipient AND s.sent_at < ?";

    private static final String ROLLUP_KEY = "grain, period, esp, recipient_domain, mailbox_provider, tagset";
    private static final Map<String, String> DETAIL_ROLLUP_KEYS = Map.of(
            "insight_link_rollup", "grain, period, esp, tagset, url_key",
            "insight_bounce_rollup", "grain, period, esp, recipient_domain, reason_key, bounce_type");
    /** Rows deleted per transaction. */
    static final int DELETE_BATCH = BatchedDelete.BATCH;

    private final DataSource dataSource;
    private final Database.Dialect dialect;
    private final Duration fine;
    private final Duration daily;
    private final Clock clock;

    public InsightMaintenance(Database database, Duration fine, Duration daily, Clock clock) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.fine = fine;
        this.daily = daily;
        this.clock = clock;
    }

    public void run() {
        long now = clock.millis();
        long fineCut = now - fine.toMillis();
        long dailyCut = now - daily.toMillis();
        try (Connection c = dataSource.getConnection()) {
            // the cut first: a query that reads quarter-hour rows from before it would miss what is deleted next
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE insight_horizon SET fine_cut = ? WHERE id = 1 AND fine_cut < ?")) {
                ps.setLong(1, fineCut);
                ps.setLong(2, fineCut);
                ps.executeUpdate();
            }
            int rows = deleteInBatches(c, "insight_rollup", ROLLUP_KEY, "d.grain IN (1, 3) AND d.period < ?", fineCut)
                    + deleteInBatches(c, "insight_rollup", ROLLUP_KEY, "d.grain IN (2, 4) AND d.period < ?", dailyCut);
            for (Map.Entry<String, String> details : DETAIL_ROLLUP_KEYS.entrySet()) {
                rows += deleteInBatches(c, details.getKey(), details.getValue(), "d.grain = 1 AND d.period < ?", fineCut)
                        + deleteInBatches(c, details.getKey(), details.getValue(), "d.grain IN (2, 3) AND d.period < ?",
                        dailyCut);
            }
            int sends = delete(c, "DELETE FROM insight_send_link d WHERE EXISTS (" + OLD_SEND + ")", dailyCut)
                    + delete(c, "DELETE FROM insight_send_bounce d WHERE EXISTS (" + OLD_SEND + ")", dailyCut)
                    + deleteInBatches(c, "insight_send", "esp, send_key, recipient", "d.sent_at < ?", dailyCut)
                    + deleteInBatches(c, "insight_orphan", "event_id", "d.occurred_at < ?", dailyCut);
            int applied = deleteInBatches(c, "insight_applied", "event_id", "d.applied_at < ? AND NOT EXISTS "
                    + "(SELECT 1 FROM hub_event e WHERE e.id = d.event_id)", now);
            if (rows + sends + applied > 0) {
                LOG.info("insight maintenance: removed {} rollup rows, {} send rows, {} counted-event records",
                        rows, sends, applied);
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("insight maintenance", e);
        }
    }

    private int deleteInBatches(Connection c, String table, String key, String where, long before)
            throws SQLException {
        return BatchedDelete.run(c, dialect, table, key, where, before);
    }

    private static int delete(Connection c, String sql, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            return ps.executeUpdate();
        }
    }
}
