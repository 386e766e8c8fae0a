package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    private final DataSource dataSource;
    private final Duration fine;
    private final Duration daily;
    private final Clock clock;

    public InsightMaintenance(Database database, Duration fine, Duration daily, Clock clock) {
        this.dataSource = database.dataSource();
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
            int rows = delete(c, "DELETE FROM insight_rollup WHERE grain IN (1, 3) AND period < ?", fineCut)
                    + delete(c, "DELETE FROM insight_rollup WHERE grain IN (2, 4) AND period < ?", dailyCut);
            for (String details : List.of("insight_link_rollup", "insight_bounce_rollup")) {
                rows += delete(c, "DELETE FROM " + details + " WHERE grain = 1 AND period < ?", fineCut)
                        + delete(c, "DELETE FROM " + details + " WHERE grain = 2 AND period < ?", dailyCut);
            }
            int sends = delete(c, "DELETE FROM insight_send_link d WHERE EXISTS (" + OLD_SEND + ")", dailyCut)
                    + delete(c, "DELETE FROM insight_send_bounce d WHERE EXISTS (" + OLD_SEND + ")", dailyCut)
                    + delete(c, "DELETE FROM insight_send WHERE sent_at < ?", dailyCut)
                    + delete(c, "DELETE FROM insight_orphan WHERE occurred_at < ?", dailyCut);
            int applied = delete(c, "DELETE FROM insight_applied WHERE applied_at < ? AND NOT EXISTS "
                    + "(SELECT 1 FROM hub_event e WHERE e.id = insight_applied.event_id)", now);
            if (rows + sends + applied > 0) {
                LOG.info("insight maintenance: removed {} rollup rows, {} send rows, {} counted-event records",
                        rows, sends, applied);
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("insight maintenance", e);
        }
    }

    private static int delete(Connection c, String sql, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            return ps.executeUpdate();
        }
    }
}
