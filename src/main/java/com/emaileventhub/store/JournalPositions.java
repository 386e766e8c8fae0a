package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * H2's journal positions: one process owns an H2 file, so the journal numbers its rows itself (seq) and knows which
 * numbers belong to transactions still open. A cursor may read up to {@link #safe()}: every number at or below it
 * belongs to a transaction that has committed or rolled back, so no row can appear behind a cursor later.
 */
final class JournalPositions {
    /** Numbers handed out so far (the highest). */
    private long allocated;
    /** Open transactions: their floor (the first number they may use) and how many share it. */
    private final TreeMap<Long, Integer> open = new TreeMap<>();

    private JournalPositions(long allocated) {
        this.allocated = allocated;
    }

    /** Starts after every number stored, and after every cursor (the rows a cursor passed may have been purged). */
    static JournalPositions load(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             // the last entry of index hub_event_position (MAX(seq) would read the whole index at every start)
             ResultSet rs = s.executeQuery("SELECT GREATEST(COALESCE((SELECT seq FROM hub_event WHERE tx = 0 "
                     + "ORDER BY tx DESC, seq DESC FETCH FIRST ROW ONLY), 0), COALESCE((SELECT MAX(seq) FROM hub_cursor), 0))")) {
            rs.next();
            return new JournalPositions(rs.getLong(1));
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal positions", e);
        }
    }

    /** A transaction about to write journal rows: numbers it takes are above everything already safe. */
    final class Reservation implements AutoCloseable {
        private final long floor;
        private boolean closed;

        private Reservation(long floor) {
            this.floor = floor;
        }

        /** The next number, for one row of this transaction. */
        long next() {
            synchronized (JournalPositions.this) {
                return ++allocated;
            }
        }

        /** After commit or rollback. */
        @Override
        public void close() {
            synchronized (JournalPositions.this) {
                if (!closed) {
                    closed = true;
                    open.computeIfPresent(floor, (k, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }

    synchronized Reservation open() {
        long floor = allocated + 1;
        open.merge(floor, 1, Integer::sum);
        return new Reservation(floor);
    }

    /** The highest number handed out so far (committed, open or rolled back). */
    synchronized long last() {
        return allocated;
    }

    /** The highest number a cursor may read up to: below the floor of every open transaction. */
    synchronized long safe() {
        return open.isEmpty() ? allocated : open.firstKey() - 1;
    }
}
