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

    /**
     * Writes webhooks/VENDOR.camel.yaml into a copy: a vendor declared in YAML alone (esp-declared-intake) with the
     * given template parameters, as name/value pairs.
     */
    public static void declareVendor(Path routes, String vendor, String... parameters) {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: esp-declared-intake\n")
                .append("    routeId: webhook-").append(vendor).append("\n    parameters:\n")
                .append("      - { name: vendor, value: ").append(vendor).append(" }\n");
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            yaml.append("      - { name: ").append(parameters[i]).append(", value: \"").append(parameters[i + 1]).append("\" }\n");
        }
        try {
            Files.writeString(routes.resolve("webhooks/" + vendor + ".camel.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
