package com.emaileventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/** The project's routes/ folder copied under target/ (for hub.routes.dir), as an integrator's deployment holds it. */
public final class RoutesCopy {
    private RoutesCopy() {
    }

    public static Path of() {
        Path source = Path.of("routes");
        Path target = Path.of("target", "test-routes", UUID.randomUUID().toString()).toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createDirectories(target.resolve("destinations"));
            Files.createDirectories(target.resolve("webhooks"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
