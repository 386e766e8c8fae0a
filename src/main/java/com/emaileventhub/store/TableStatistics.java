package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the hub's own tables fresh where autovacuum does not: with
 * {@code autovacuum = off} (server-wide, or {@code autovacuum_enabled = false} on a table) a table that grew from
 * empty keeps the estimate of an empty table, the planner reads the journal or the insight rows by sequential
 * scan instead of by primary key, and every delivery batch costs a pass over the whole table (measured: the
 * insight destination's send lookup took 0.5-1.4 s per 500 sends at 100,000 sends, docs/benchmarks.md). Each
 * run applies autovacuum's own default rule to those tables only: VACUUM ANALYZE past 50 + 20 % dead rows,
 * ANALYZE past 50 + 10 % rows changed since the last one. With autovacuum on, it does nothing. H2 keeps its own
 * statistics (it re-analyzes a table every 2,000 changed rows by default), so it does nothing there either.
 */
public final class TableStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(TableStatistics.class);
    /** The tables of the connection's schema, their row counts and whether autovacuum looks after them. */
    private static final String TABLES = "SELECT s.relname, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze, "
            + "current_setting('autovacuum') = 'on' AND NOT COALESCE('autovacuum_enabled=false' = ANY(c.reloptions), false) "
            + "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema()";

    /** What one run did to one table. */
    public record Action(String table, String command) {
    }

    private final DataSource dataSource;
    private final boolean postgres;
    private volatile boolean warned;

    public TableStatistics(Database database) {
        this.dataSource = database.dataSource();
        this.postgres = database.dialect() == Database.Dialect.POSTGRESQL;
    }

    /** Analyzes (and vacuums) the tables autovacuum leaves alone and that changed enough; returns what it did. */
    public List<Action> run() {
        List<Action> done = new ArrayList<>();
        if (!postgres) {
            return done;
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);   // VACUUM refuses to run inside a transaction block
            try {
                for (Action a : due(st)) {
                    st.execute(a.command() + " " + quote(a.table()));
                    done.add(a);
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("table statistics", e);
        }
        if (!done.isEmpty()) {
            LOG.debug("table statistics: {}", done);
        }
        return done;
    }

    private List<Action> due(Statement st) throws SQLException {
        List<Action> due = new ArrayList<>();
        List<String> unattended = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(TABLES)) {
            while (rs.next()) {
                if (rs.getBoolean(5)) {
                    continue;   // autovacuum looks after this one
                }
                String table = rs.getString(1);
                unattended.add(table);
                long live = rs.getLong(2);
                if (rs.getLong(3) > 50 + live / 5) {
                    due.add(new Action(table, "VACUUM (ANALYZE)"));
                } else if (rs.getLong(4) > 50 + live / 10) {
                    due.add(new Action(table, "ANALYZE"));
                }
            }
        }
        if (!unattended.isEmpty() && !warned) {
            warned = true;
            LOG.warn("PostgreSQL autovacuum does not look after {} of the hub's tables (autovacuum = off?): the hub keeps "
                    + "their planner statistics itself (route db-statistics, hub.db.statistics-interval-ms); turning "
                    + "autovacuum on is better", unattended.size());
        }
        return due;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
