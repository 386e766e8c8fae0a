package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final String SEND_KEY = "esp = ? AND send_key = ? AND recipient = ?";

    private static final String ROLLUP_KEY = "grain, period, esp, recipient_domain, mailbox_provider, tagset";
    private static final Map<String, String> DETAIL_ROLLUP_KEYS = Map.of(
            "insight_link_rollup", "grain, period, esp, tagset, url_key",
            "insight_bounce_rollup", "grain, period, esp, recipient_domain, reason_key, bounce_type");
    /** Rows deleted per transaction. */
    static final int DELETE_BATCH = BatchedDelete.BATCH;
    /**
     * Sends removed per transaction, with their links and bounce reasons. Small: on H2 the transaction holds the one
     * writer lock, and every webhook waiting for a commit waits for it.
     */
    static final int SEND_BATCH = 500;

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
            int sends = deleteSends(c, dailyCut)
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

    /**
     * The sends from before {@code before}, each with its links and bounce reasons, {@value #SEND_BATCH} sends per
     * transaction, found by the index on sent_at. (One DELETE of the links whose send is old read the whole link table,
     * under H2's writer lock: 555 ms of every webhook's wait once an hour with a few hundred thousand links, even with
     * nothing to delete.) Returns the rows removed.
     */
    private int deleteSends(Connection c, long before) throws SQLException {
        String oldest = "SELECT esp, send_key, recipient FROM insight_send WHERE sent_at < ?" + dialect.firstRows(SEND_BATCH);
        int total = 0;
        List<String[]> keys;
        do {
            keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(oldest)) {
                ps.setLong(1, before);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            if (!keys.isEmpty()) {
                List<String[]> batch = keys;
                total += Transactions.inTransaction(dataSource, tx -> deleteSends(tx, batch, before));
            }
        } while (keys.size() == SEND_BATCH);
        return total;
    }

    private static int deleteSends(Connection c, List<String[]> keys, long before) throws SQLException {
        return deleteEach(c, "DELETE FROM insight_send_link WHERE " + SEND_KEY, keys, null)
                + deleteEach(c, "DELETE FROM insight_send_bounce WHERE " + SEND_KEY, keys, null)
                // a send an event moved earlier meanwhile is still old; one moved past the cut is not (sent_at only
                // ever moves earlier, so this is the same test as the query's)
                + deleteEach(c, "DELETE FROM insight_send WHERE " + SEND_KEY + " AND sent_at < ?", keys, before);
    }

    /** {@code sql} (a DELETE by {@link #SEND_KEY}, then {@code before} when not null) for each key, as one batch. */
    private static int deleteEach(Connection c, String sql, List<String[]> keys, Long before) throws SQLException {
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String[] key : keys) {
                ps.setString(1, key[0]);
                ps.setString(2, key[1]);
                ps.setString(3, key[2]);
                if (before != null) {
                    ps.setLong(4, before);
                }
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                total += Math.max(n, 0);
            }
        }
        return total;
    }
}
