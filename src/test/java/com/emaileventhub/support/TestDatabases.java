package com.emaileventhub.support;

import com.emaileventhub.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fresh databases for tests: an H2 file under target/, or a new schema in this machine's PostgreSQL.
 * Storage tests run on both through {@link Kind}: {@code @ParameterizedTest @EnumSource(TestDatabases.Kind.class)}.
 * Every schema made here is dropped when the test class that made it ends ({@link DropsTestSchemas}, registered for
 * all tests through junit-platform.properties), so a test need not drop its own; {@link #drop(String)} drops one early.
 */
public final class TestDatabases {
    public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";
    private static final String SCHEMA_PARAMETER = "?currentSchema=";
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    /** The two databases the hub supports. */
    public enum Kind {
        H2, POSTGRESQL;

        /** A URL of a new, empty database of this kind. */
        public String freshUrl() {
            return this == H2 ? h2() : postgres();
        }
    }

    private TestDatabases() {
    }

    public static String h2() {
        Path dir = Path.of("target", "test-db", UUID.randomUUID().toString()).toAbsolutePath();
        return "jdbc:h2:file:" + dir.resolve("hub") + ";WRITE_DELAY=0";
    }

    /** A URL whose connections live in a new, empty schema (drop it with {@link #drop(String)}). */
    public static String postgres() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 (database test) is needed by this test", e);
        }
        CREATED.add(schema);
        return PG_ADMIN_URL + SCHEMA_PARAMETER + schema;
    }

    /** The hub's database at a URL of either kind, migrated; the caller closes it. */
    public static Database open(String url, int poolSize) {
        Database db = new Database(url, user(url), "", poolSize, Duration.ofSeconds(3));
        db.migrate();
        return db;
    }

    /** The user name that goes with a URL of either kind. */
    public static String user(String url) {
        return url.startsWith("jdbc:postgresql:") ? PG_USER : "sa";
    }

    /** Drops the PostgreSQL schema a URL of {@link #postgres()} names; H2 files stay under target/. */
    public static void drop(String url) {
        int at = url.indexOf(SCHEMA_PARAMETER);
        if (!url.startsWith("jdbc:postgresql:") || at < 0) {
            return;
        }
        dropSchema(url.substring(at + SCHEMA_PARAMETER.length()));
    }

    /** Drops every schema {@link #postgres()} made that is still there; {@link DropsTestSchemas} calls it. */
    static void dropAllCreated() {
        for (String schema : CREATED) {
            dropSchema(schema);
        }
    }

    private static void dropSchema(String schema) {
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a test schema: " + schema);
        }
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            CREATED.remove(schema);
        } catch (SQLException e) {
            throw new IllegalStateException("dropping test schema " + schema + " failed", e);
        }
    }
}
