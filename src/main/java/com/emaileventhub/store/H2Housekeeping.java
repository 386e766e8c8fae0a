package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping H2 leaves undone at WRITE_DELAY=0. H2's file store rewrites its partly dead chunks (so that their
 * space can be used again) only in its background writer thread, and WRITE_DELAY=0, which the hub needs so that a
 * commit is in the file before the 200, switches that thread off. Each run rewrites the sparsest chunks through H2's
 * own {@link MVStore#compact(int, int)}, within a time budget, then forces the file to disk.
 * <p>
 * The space of a dead chunk is used again only after H2's retention time, 45 s by default: while the insight
 * destination applied about 5,000 sends/s, H2 wrote 50 MB/s, so the file held gigabytes of dead chunks (5.1 GB for
 * 300,000 sends whose live data was under 400 MB, docs/benchmarks.md). Every H2 URL of the hub therefore gets a
 * retention time of {@value #RETENTION_MILLIS} ms unless it names one ({@link #withRetentionTime(String)}). That
 * margin exists for a crash of the machine, not of the process: H2 overwrites a dead chunk only once no version it
 * may still read refers to it, and the sync after each run keeps H2's assumption that a chunk is on disk within the
 * retention time.
 * Only embedded H2 file databases; PostgreSQL vacuums its own.
 */
public final class H2Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Rewrite while live data fills less than this share of the chunks (H2's own auto-compaction default). */
    static final int TARGET_FILL_RATE = 90;
    /** H2's setting for how long a dead chunk's space stays unused (milliseconds). */
    static final String RETENTION = "RETENTION_TIME";
    /** The retention time the hub's H2 databases get: two runs of housekeeping at its default interval, each syncing. */
    static final int RETENTION_MILLIS = 2000;
    /**
     * Bytes rewritten per call to compact, to begin with. Commits wait while a call runs: with 4 MB per call and calls
     * back to back, webhooks waited 180-270 ms once a second on H2 (JFR, docs/benchmarks.md), the p99 of the whole
     * intake.
     */
    static final int WRITE_BYTES = 1024 * 1024;
    /**
     * The most one call may rewrite. H2 rewrites only chunks whose live data fits in the call's limit, and a commit
     * of many rows (a batch of events, a burst's group commit) writes chunks of several megabytes: with 1 MB per call
     * such chunks stayed a quarter live for ever and the file grew burst after burst (docs/benchmarks.md). So a run
     * whose call rewrote nothing while the chunks are still sparse doubles the limit, up to this.
     * <p>
     * A larger call holds H2's store lock longer, and every commit waits for it: with larger calls for as long as the
     * budget lasts, the p99 of batches at half the peak rate rose from a few hundred milliseconds to over a second
     * (docs/benchmarks.md). So they go on for the whole budget only while the database is quiet
     * ({@link #QUIET_BYTES_PER_SECOND}); while it is busy, a run makes at most one, of at most
     * {@link #BUSY_MAX_WRITE_BYTES}, and only once the chunks are less than {@link #BUSY_FILL_RATE} % live.
     */
    static final int MAX_WRITE_BYTES = 64 * 1024 * 1024;
    /** The most one call may rewrite while the database is busy (larger calls held webhooks for over a second). */
    static final int BUSY_MAX_WRITE_BYTES = 4 * 1024 * 1024;
    /**
     * Fewer bytes written to the file per second than this since the last run: the database is quiet (a few hundred
     * events a second). Bytes, not commits: twenty batches of 100 events a second are twenty commits and busy.
     */
    static final long QUIET_BYTES_PER_SECOND = 1024 * 1024;
    /** While the database is busy, calls larger than {@link #WRITE_BYTES} wait until the file is more than half dead. */
    static final int BUSY_FILL_RATE = 50;
    /** The gap between two rewrites of one run, for the commits that waited. */
    private static final long PAUSE_NANOS = 5_000_000;
    /**
     * While busy, the gap after a rewrite is this many times the rewrite's own time, so that rewrites hold H2's store
     * lock for at most a fifth of a run.
     */
    static final long BUSY_PAUSE_FACTOR = 4;

    /**
     * A quiet run moves chunks towards the start of the file while fewer than this share of the file's blocks are in
     * use. H2 cuts the file back only as far as its last chunk in use, and rewriting sparse chunks does not move a live
     * one: a chunk written by one big commit while the file was full of dead chunks (a burst of batches) stays at its end
     * and holds gigabytes of free space behind it for as long as its rows live. H2's own background writer moves such
     * chunks; at WRITE_DELAY=0 it does not run.
     */
    static final int FILE_FILL_RATE = 50;
    /** The most one run moves (bytes of chunks). */
    static final long MOVE_BYTES = 16L * 1024 * 1024;

    private final List<DataSource> databases = new ArrayList<>();
    private final long budgetNanos;
    /** Per database, after its last run (one timer thread runs them all). */
    private final Map<DataSource, LastRun> lastRun = new HashMap<>();

    /** The bytes a database's file store had written when its last run ended, and when that was. */
    private record LastRun(long writtenBytes, long nanoTime) {
    }

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

    /**
     * Rewrites sparse chunks until none is left below the target or the budget is spent, and on a quiet database moves
     * chunks so that the file can be cut back; returns the calls that did (a move that cut the file counts as one).
     */
    public int run() {
        long deadline = System.nanoTime() + budgetNanos;
        int rewrites = 0;
        for (DataSource dataSource : databases) {
            try (Connection c = dataSource.getConnection()) {
                MVStore store = store(c);
                if (store == null) {
                    continue;
                }
                boolean quiet = quiet(dataSource, store);
                int maxWriteBytes = quiet ? MAX_WRITE_BYTES : BUSY_MAX_WRITE_BYTES;
                int largerBelowFillRate = quiet ? TARGET_FILL_RATE : BUSY_FILL_RATE;
                long started = System.nanoTime();
                int rewritesHere = 0;
                int writeBytes = WRITE_BYTES;
                while (System.nanoTime() < deadline) {
                    long callStarted = System.nanoTime();
                    if (store.compact(TARGET_FILL_RATE, writeBytes)) {
                        rewritesHere++;
                        if (writeBytes > WRITE_BYTES && !quiet) {
                            break;
                        }
                        // a rewrite holds H2's store lock, so every commit waits for it, and the next commit writes
                        // the rewritten pages: small rewrites with a gap between them let the commits waiting in
                        // between go first; while busy, a gap of BUSY_PAUSE_FACTOR times the call's own time
                        long call = System.nanoTime() - callStarted;
                        LockSupport.parkNanos(quiet ? PAUSE_NANOS : Math.max(PAUSE_NANOS, BUSY_PAUSE_FACTOR * call));
                    } else if (writeBytes < maxWriteBytes
                            && store.getFileStore().getChunksFillRate() < largerBelowFillRate) {
                        writeBytes *= 2; // the sparse chunks left each hold more live data than this call may write
                    } else {
                        break;
                    }
                }
                boolean moved = false;
                if (quiet && store.getFileStore() instanceof RandomAccessStore file
                        && file.getFillRate() < FILE_FILL_RATE) {
                    // moving a chunk stores a version of the whole store: under the writer lock, like the checkpoint below
                    long sizeBefore = file.size();
                    H2SingleWriter.alone(dataSource, () -> file.compactMoveChunks(FILE_FILL_RATE, MOVE_BYTES, store));
                    moved = file.size() < sizeBefore;
                    if (moved) {
                        LOG.debug("H2 housekeeping: chunks moved, the file cut from {} to {} MB", sizeBefore >> 20,
                                file.size() >> 20);
                    }
                }
                if (quiet && store.hasUnsavedChanges()) {
                    // the rewritten pages reach the file, and their old chunks can be freed, at the next commit: on
                    // a quiet hub there may be none, so the housekeeping stores them. Through SQL, so that it waits for
                    // the hub's writer lock like every write (H2SingleWriter): a version stored while another
                    // transaction is half-way through its changes can keep half of them
                    try (Statement st = c.createStatement()) {
                        st.execute("CHECKPOINT");
                    } catch (SQLException e) {
                        // a user without admin rights, or the writer lock busy: the next commit stores them
                        LOG.debug("H2 housekeeping: rewritten pages left to the next commit: {}", e.getMessage());
                    }
                }
                rewrites += rewritesHere + (moved ? 1 : 0);
                long syncStarted = System.nanoTime();
                store.sync();
                if (rewritesHere > 0 && LOG.isDebugEnabled()) {
                    LOG.debug("H2 housekeeping: {} chunk rewrites, calls up to {} KB, {} ms (the sync {} ms), {}, "
                                    + "chunks {} % live", rewritesHere, writeBytes / 1024,
                            (System.nanoTime() - started) / 1_000_000, (System.nanoTime() - syncStarted) / 1_000_000,
                            quiet ? "quiet" : "busy", store.getFileStore().getChunksFillRate());
                }
                lastRun.put(dataSource, new LastRun(writtenBytes(store), System.nanoTime()));
            } catch (SQLException e) {
                throw StorageUnavailableException.of("H2 housekeeping", e);
            }
        }
        return rewrites;
    }

    /** True when the store wrote fewer than {@link #QUIET_BYTES_PER_SECOND} a second since the last run. */
    private boolean quiet(DataSource dataSource, MVStore store) {
        LastRun last = lastRun.get(dataSource);
        if (last == null) {
            return false;
        }
        double seconds = Math.max(0.001, (System.nanoTime() - last.nanoTime()) / 1e9);
        return (writtenBytes(store) - last.writtenBytes()) / seconds < QUIET_BYTES_PER_SECOND;
    }

    /** The bytes the file store wrote since it was opened (H2 gives them only in its info, as SETTINGS shows them). */
    private static long writtenBytes(MVStore store) {
        long[] bytes = {0};
        store.getFileStore().populateInfo((name, value) -> {
            if (name.equals("info.FILE_WRITE_BYTES")) {
                bytes[0] = Long.parseLong(value);
            }
        });
        return bytes[0];
    }

    /**
     * {@code url} plus {@code ;RETENTION_TIME=}{@value #RETENTION_MILLIS} for an embedded H2 file URL that names no
     * retention time (a server's database is its server's to keep).
     */
    static String withRetentionTime(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!H2Durability.isPersistentH2(url) || lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")
                || H2Durability.setting(url, RETENTION) != null) {
            return url;
        }
        return url + (url.endsWith(";") ? "" : ";") + RETENTION + "=" + RETENTION_MILLIS;
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
