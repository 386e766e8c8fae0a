package com.emaileventhub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own database: one HikariCP pool, migrated by Flyway at start-up, H2 or PostgreSQL. An H2 URL
 * is made durable first ({@link H2Durability}): an acknowledged event must survive a kill; it also gets the short
 * retention time its housekeeping relies on ({@link H2Housekeeping}), and an embedded H2 file takes one writing
 * transaction at a time ({@link H2SingleWriter}), so that a kill never leaves half a transaction in the file.
 */
public final class Database implements AutoCloseable {
    public enum Dialect {
        H2, POSTGRESQL;

        /** The end of a query that reads at most {@code rows} rows, in this database's words. */
        public String firstRows(int rows) {
            return this == H2 ? " FETCH FIRST " + rows + " ROWS ONLY" : " LIMIT " + rows;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final Dialect dialect;
    private JournalPositions positions;

    public Database(String url, String username, String password, int poolSize, Duration connectionTimeout) {
        this("hub.db.url", url, username, password, poolSize, connectionTimeout);
    }

    /** @param key the property the URL came from, named in the start-up warning about a write delay */
    public Database(String key, String url, String username, String password, int poolSize,
                    Duration connectionTimeout) {
        this.dialect = url.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
        if (H2Durability.delaysWrites(url)) {
            LOG.warn("{} sets {}={}: H2 writes commits to disk only that many milliseconds later, so events already "
                    + "acknowledged to an ESP are lost if the process or machine stops; remove {} from the URL (the hub "
                    + "then uses 0) or use PostgreSQL", key, H2Durability.SETTING, H2Durability.writeDelay(url),
                    H2Durability.SETTING);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("hub-db");
        config.setJdbcUrl(H2Housekeeping.withRetentionTime(H2Durability.durable(url)));
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setAutoCommit(true);
        // ESPs time out after 10-15 s: an unreachable database must turn into a quick 503, not a hung request
        config.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeout.toMillis(), 2000)));
        config.setInitializationFailTimeout(connectionTimeout.toMillis());
        this.pool = new HikariDataSource(config);
        this.dataSource = H2SingleWriter.wrap(url, pool, Math.max(250, connectionTimeout.toMillis()));
    }

    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                // from V13 on, what differs between the two databases lives in db/vendor/h2 and db/vendor/postgresql
                .locations("classpath:db/migration", "classpath:db/vendor/" + dialect.name().toLowerCase(Locale.ROOT))
                .load()
                .migrate();
    }

    /**
     * H2: the journal positions this process hands out (one process owns an H2 file). PostgreSQL: null, the database
     * gives each row its transaction id and a sequence number.
     */
    synchronized JournalPositions positions() {
        if (positions == null && dialect == Dialect.H2) {
            positions = JournalPositions.load(dataSource);
        }
        return positions;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        pool.close();
    }
}
