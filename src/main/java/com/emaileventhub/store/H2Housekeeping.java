package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping H2 leaves undone at WRITE_DELAY=0. H2's file store rewrites its partly dead chunks (so that their
 * space can be used again) only in its background writer thread, and WRITE_DELAY=0, which the hub needs so that a
 * commit is in the file before the 200, switches that thread off. Without it a database whose rows are updated
 * again and again (delivery queues, the insight figures) grows without bound: 50 GB within 20 minutes while the
 * insight destination applied about 2,000 sends/s (docs/benchmarks.md). Each run rewrites the sparsest chunks through
 * H2's own {@link MVStore#compact(int, int)}, within a time budget; the space they held is then used again after
 * H2's retention time (45 s). Only embedded H2 file databases; PostgreSQL vacuums its own.
 */
public final class H2Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Rewrite while live data fills less than this share of the chunks (H2's own auto-compaction default). */
    static final int TARGET_FILL_RATE = 90;
    /** Bytes rewritten per call to compact. */
    private static final int WRITE_BYTES = 4 * 1024 * 1024;

    private final List<DataSource> databases = new ArrayList<>();
    private final long budgetNanos;

    /** @param budgetMillis how long one run may rewrite, for all databases together */
    public H2Housekeeping(long budgetMillis, Database.Dialect hubDialect, DataSource hub, Database.Dialect archiveDialect,
                         DataSource archive) {
        this.budgetNanos = budgetMillis * 1_000_000;
        if (hubDialect == Database.Dialect.H2) {
            databases.add(hub);
        }
        if (archiveDialect == Database.Dialect.H2 && archive != hub) {
            databases.add(archive);
        }
    }

    /** Rewrites sparse chunks until none is left below the target or the budget is spent; returns the calls that did. */
    public int run() {
        long deadline = System.nanoTime() + budgetNanos;
        int rewrites = 0;
        for (DataSource dataSource : databases) {
            try (Connection c = dataSource.getConnection()) {
                MVStore store = store(c);
                if (store == null) {
                    continue;
                }
                while (System.nanoTime() < deadline && store.compact(TARGET_FILL_RATE, WRITE_BYTES)) {
                    rewrites++;
                }
            } catch (SQLException e) {
                throw StorageUnavailableException.of("H2 housekeeping", e);
            }
        }
        if (rewrites > 0) {
            LOG.debug("H2 housekeeping: {} chunk rewrites", rewrites);
        }
        return rewrites;
    }

    /** The file store behind an embedded H2 connection; null for an in-memory or a remote (tcp://) database. */
    static MVStore store(Connection c) throws SQLException {
        if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        return store.getFileStore() == null ? null : store;
    }
}
