package com.emaileventhub.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Fresh databases for tests: an H2 file under target/, or a new schema in this machine's PostgreSQL. */
public final class TestDatabases {
    public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    public static String h2() {
        Path dir = Path.of("target", "test-db", UUID.randomUUID().toString()).toAbsolutePath();
        return "jdbc:h2:file:" + dir.resolve("hub") + ";WRITE_DELAY=0";
    }

    /** A URL whose connections live in a new, empty schema (dropped with the test database at the next CI run). */
    public static String postgres() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 (database test) is needed by this test", e);
        }
        return PG_ADMIN_URL + "?currentSchema=" + schema;
    }
}
