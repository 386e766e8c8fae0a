package com.emaileventhub.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the PostgreSQL schemas a test class made through {@link TestDatabases} once the class is done (after its
 * {@code @AfterAll} methods, so its hubs are stopped first), so that no test leaves a schema in the shared database.
 * Registered for every test by ServiceLoader ({@code junit.jupiter.extensions.autodetection.enabled}); test classes
 * run one after another, so what is left at a top-level class's end is that class's.
 */
public final class DropsTestSchemas implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        boolean topLevel = context.getParent().flatMap(ExtensionContext::getParent).isEmpty();
        if (topLevel) {
            TestDatabases.dropAllCreated();
        }
    }
}
