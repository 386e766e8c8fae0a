package com.emaileventhub;

import com.emaileventhub.config.HubConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * java -jar target/email-event-hub.jar; with --cds-training the hub starts once on a scratch database and a free
 * port and exits, so that a JVM run with -XX:ArchiveClassesAtExit records the classes of a start-up (the build
 * does this, writing target/email-event-hub.jsa: docs/operations.md, "Faster start").
 */
public final class HubApp {
    static final String CDS_TRAINING = "--cds-training";

    private HubApp() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains(CDS_TRAINING)) {
            train();
            return;
        }
        Hub hub;
        try {
            HubConfig config = HubConfig.load(Map.of());
            Logging.format(config);
            hub = new Hub(config);
        } catch (IllegalArgumentException e) {
            // a bad configuration value: the message names the key, never the value
            System.err.println("Email Event Hub cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            hub.run();
        } catch (FailedToCreateRouteException e) {
            // a mistake in a route file: one line naming the file, the route and what is wrong, not a stack trace
            System.err.println("Email Event Hub cannot start: " + describe(e, hub.context(), hub.routes()));
            System.exit(2);
        }
    }

    /** Starts the hub on its built-in routes, a scratch H2 database and a free port, then stops it. */
    private static void train() throws Exception {
        Path scratch = Files.createTempDirectory("hub-cds-training");
        try {
            Map<String, String> overrides = Map.of("hub.db.url", "jdbc:h2:file:" + scratch.resolve("hub"),
                    "hub.http.port", "0", "hub.routes.dir", scratch.resolve("routes").toString(),
                    "hub.log.level.root", "ERROR");
            try (Hub hub = new Hub(HubConfig.load(overrides))) {
                hub.start();
            }
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String describe(FailedToCreateRouteException e, CamelContext context, RouteFiles files) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String file = null;
        Model model = context == null ? null : context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(e.getRouteId());
        if (route != null && route.getResource() != null) {
            file = route.getResource().getLocation();
        }
        if (file == null) {
            file = files.locate(e.getRouteId());
        }
        return (file == null ? "" : file + ": ") + "route " + e.getRouteId() + ": " + root.getMessage();
    }
}
