package com.emaileventhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The PostgreSQL schemas tests make are dropped: one on request, the rest when the test class ends. */
class TestDatabasesTest {

    @Test
    void drops_one_schema_on_request_and_every_other_one_it_made_at_the_end() throws SQLException {
        String first = TestDatabases.postgres();
        String second = TestDatabases.postgres();
        assertThat(exists(first)).isTrue();
        assertThat(exists(second)).isTrue();

        TestDatabases.drop(first);
        assertThat(exists(first)).isFalse();
        assertThat(exists(second)).isTrue();

        TestDatabases.dropAllCreated();   // what DropsTestSchemas does when a test class ends
        assertThat(exists(second)).isFalse();
    }

    private static boolean exists(String url) throws SQLException {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(TestDatabases.PG_ADMIN_URL, TestDatabases.PG_USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
