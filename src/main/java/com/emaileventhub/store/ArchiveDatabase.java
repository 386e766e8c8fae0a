package com.emaileventhub.store;

import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Where the archive lives: the hub's own database by default, or the one hub.archive.db.url names (its own pool).
 * Either way its schema comes from classpath:db/archive with its own Flyway history table, never mixed with the hub's.
 * In the hub's own database the journal is the archive's recent part ({@link #inJournal()}): classpath:db/archive-journal
 * makes hub_archive a view of the journal and of hub_archive_past, where the journal's maintenance moves the events past
 * its retention, and no event is copied when it is stored. In a database of its own hub_archive is a table the archive
 * destination (routes/destinations/archive.camel.yaml) copies every event into.
 */
public final class ArchiveDatabase implements AutoCloseable {
    private final Database own;
    private final DataSource dataSource;
    private final Database.Dialect dialect;

    private ArchiveDatabase(Database own, DataSource dataSource, Database.Dialect dialect) {
        this.own = own;
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public static ArchiveDatabase open(ArchiveSettings settings, Database hub) {
        ArchiveDatabase archive;
        if (settings.url() == null) {
            archive = new ArchiveDatabase(null, hub.dataSource(), hub.dialect());
        } else {
            Database own = new Database("hub.archive.db.url", settings.url(), settings.username(), settings.password(),
                    settings.poolSize(), settings.connectionTimeout());
            archive = new ArchiveDatabase(own, own.dataSource(), own.dialect());
        }
        archive.migrate();
        return archive;
    }

    /** The archive is the journal and hub_archive_past: it lives in the hub's own database. */
    public boolean inJournal() {
        return own == null;
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(inJournal()
                        ? new String[] {"classpath:db/archive",
                                "classpath:db/archive-journal/" + dialect.name().toLowerCase(Locale.ROOT)}
                        : new String[] {"classpath:db/archive"})
                .table("hub_archive_schema_history")
                // the hub's own schema is not empty; version 0 as baseline still applies V1 of the archive
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Database.Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
