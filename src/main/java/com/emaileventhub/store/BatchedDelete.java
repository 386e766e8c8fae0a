package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A DELETE of many rows as a series of transactions of at most {@value #BATCH} rows. H2 keeps every chunk written
 * while a transaction is open: one statement deleting 655,000 counted-event records (about 35 s while sends were
 * applied, H2FileBench) grew the file from 0.5 to 2.7 GB. On PostgreSQL a short transaction holds its locks briefly.
 * The connection must be in auto-commit.
 */
final class BatchedDelete {
    /** Rows deleted per transaction. */
    static final int BATCH = 5_000;

    private BatchedDelete() {
    }

    /**
     * Deletes the rows of {@code table} that {@code where} selects (the table's alias there is d; its parameters are
     * {@code args}), {@code key} being the table's primary-key columns; returns how many.
     */
    static int run(Connection c, Database.Dialect dialect, String table, String key, String where, Object... args)
            throws SQLException {
        // H2 limits a DELETE itself (and reads a key IN (subquery) row by row); PostgreSQL needs the subquery
        String sql = dialect == Database.Dialect.H2
                ? "DELETE FROM " + table + " d WHERE " + where + " FETCH FIRST " + BATCH + " ROWS ONLY"
                : "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " d WHERE "
                        + where + " LIMIT " + BATCH + ")";
        int total = 0;
        int deleted;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            do {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                deleted = ps.executeUpdate();
                total += deleted;
            } while (deleted == BATCH);
        }
        return total;
    }
}
