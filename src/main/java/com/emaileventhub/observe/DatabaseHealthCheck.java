package com.emaileventhub.observe;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the hub's database: a webhook cannot be acknowledged without it. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {
    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("hub", "database");
        this.dataSource = dataSource;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection is not valid").down();
            }
        } catch (Exception e) {
            builder.message("database unreachable: " + e.getClass().getSimpleName()).down();
        }
    }
}
