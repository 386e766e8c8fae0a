package com.emaileventhub;

import com.emaileventhub.intake.DestinationRoutes;
import com.emaileventhub.telemetry.HubMetrics;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the local routes folder (hub.routes.reload): Camel's file watcher reports a saved
 * *.camel.yaml, and after a short quiet period (editors write in several steps) the file that now provides
 * that name under the overlay rules of {@link RouteFiles} replaces the routes of the one before it.
 *
 * <p>The new version is parsed before anything running is touched; a file that does not parse is refused.
 * Its routes then replace the old ones by id (Camel lets exchanges in flight finish on the old route); if
 * one fails to start, the previous version is put back. Routes the file no longer holds are removed. Files
 * holding more than plain routes (templates, templated webhook routes, REST, error handling, beans), and
 * routes that would add a destination, need a restart: they are refused with a line saying so. Every
 * outcome is one log line and {@code hub_routes_reload_total{outcome}}.
 */
final class RouteReload {
    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);
    private static final long QUIET_MILLIS = 300;
    private static final String SUFFIX = ".camel.yaml";
    /** Top-level YAML entries other than a route: their effect outlives a route swap. */
    private static final Pattern NEEDS_RESTART = Pattern.compile(
            "(?m)^-\\s*(routeTemplate|templatedRoute|routeConfiguration|beans|rest|restConfiguration|errorHandler|kamelet)\\s*:");

    private final Path dir;
    private final HubMetrics metrics;
    private final Runnable afterChange;
    /** Relative name to the location and text its routes were loaded from, as running now. */
    private final Map<String, Version> running = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new HashMap<>();
    private CamelContext context;
    private ScheduledExecutorService executor;

    RouteReload(Path dir, RouteFiles files, HubMetrics metrics, Runnable afterChange) {
        this.dir = dir.toAbsolutePath().normalize();
        this.metrics = metrics;
        this.afterChange = afterChange;
        files.files().forEach((name, location) -> running.put(name, new Version(location, RouteFiles.read(location))));
    }

    /** One version of a route file: where it is loaded from and what it said then. */
    private record Version(String location, String text) {
    }

    /** Starts watching once the context runs (the watcher is a Camel service, stopped with the context). */
    void attach(CamelContext context) throws Exception {
        this.context = context;
        if (!dir.toFile().isDirectory()) {
            LOG.info("routes: live reload off: {} does not exist", dir);
            return;
        }
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "hub-routes-reload");
        FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(dir.toString(), true);
        watcher.setFileFilter(f -> f.getName().endsWith(SUFFIX));
        watcher.setResourceReload((name, resource) -> schedule(name));
        try {
            context.addService(watcher, true, true);
        } catch (RuntimeException e) {
            // e.g. the system's limit of file watches reached: the hub runs on, its routes change with a restart
            LOG.warn("routes: live reload off: cannot watch {}: {}", dir, rootMessage(e));
            return;
        }
        LOG.info("routes: live reload on, watching {} (plain route files; templates, webhooks, REST and error handling need a restart)", dir);
    }

    private synchronized void schedule(String file) {
        String name = dir.relativize(new File(file).getAbsoluteFile().toPath().normalize()).toString().replace('\\', '/');
        ScheduledFuture<?> before = pending.remove(name);
        if (before != null) {
            before.cancel(false);
        }
        pending.put(name, executor.schedule(() -> {
            try {
                reload(name);
            } catch (RuntimeException e) {
                refuse("failed", dir.resolve(name).toString(), "reload failed: " + rootMessage(e));
            }
        }, QUIET_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** Applies the current version of one relative name; runs on the single reload thread. */
    void reload(String name) {
        Version old = running.get(name);
        String before = old == null ? null : old.location();
        String oldText = old == null ? "" : old.text();
        String now = RouteFiles.resolve(dir).files().get(name);
        String newText = now == null ? "" : RouteFiles.read(now);
        String file = dir.resolve(name).toString();
        if (now != null && now.equals(before) && newText.equals(oldText)) {
            return;   // nothing changed since the version running (a second event of one save)
        }
        if (NEEDS_RESTART.matcher(oldText).find() || NEEDS_RESTART.matcher(newText).find()) {
            refuse("restart_required", file, "holds more than plain routes (template, REST, error handling or beans): restart the hub to apply it");
            return;
        }
        List<RouteBuilder> parsed;
        try {
            parsed = parse(now, newText);
        } catch (Exception e) {
            refuse("invalid", file, "does not parse: " + rootMessage(e) + "; the running routes are unchanged");
            return;
        }
        Set<String> oldIds = routeIds(before);
        Set<String> newIds = ids(parsed);
        Set<String> known = Set.copyOf(DestinationRoutes.names(context));
        for (RouteBuilder b : parsed) {
            for (RouteDefinition r : b.getRouteCollection().getRoutes()) {
                String uri = r.getInput() == null ? "" : r.getInput().getEndpointUri();
                if (uri.startsWith("direct:" + DestinationRoutes.PREFIX)
                        && !known.contains(uri.substring(("direct:" + DestinationRoutes.PREFIX).length()))) {
                    refuse("restart_required", file, "adds destination route " + r.getRouteId() + ": restart the hub to start delivering to it");
                    return;
                }
            }
        }
        try {
            apply(parsed, oldIds, newIds);
        } catch (Exception e) {
            String why = rootMessage(e);
            try {
                apply(parse(before, oldText), newIds, oldIds);
                refuse("failed", file, "a route did not start: " + why + "; the previous version runs again");
            } catch (Exception restore) {
                refuse("failed", file, "a route did not start: " + why + "; restoring the previous version failed too: "
                        + rootMessage(restore));
            }
            return;
        }
        if (now == null) {
            running.remove(name);
        } else {
            running.put(name, new Version(now, newText));
        }
        metrics.counter("hub_routes_reload_total", "outcome", "applied").increment();
        LOG.info("routes: applied {} ({}): routes {}", file, now == null ? "switched off" : now, newIds);
        afterChange.run();
    }

    private List<RouteBuilder> parse(String location, String text) throws Exception {
        List<RouteBuilder> out = new ArrayList<>();
        if (location == null || text.isBlank()) {
            return out;
        }
        for (RoutesBuilder b : PluginHelper.getRoutesLoader(context)
                .findRoutesBuilders(List.of(ResourceHelper.fromString(location, text)))) {
            RouteBuilder rb = (RouteBuilder) b;
            for (RouteDefinition r : rb.configureRoutes(context).getRoutes()) {
                if (r.getRouteId() == null) {
                    throw new IllegalArgumentException("a route without an id cannot be replaced live: give every route an id");
                }
            }
            out.add(rb);
        }
        return out;
    }

    /** Replaces routes by id, then removes those no longer declared. */
    private void apply(List<RouteBuilder> builders, Set<String> remove, Set<String> keep) throws Exception {
        for (RouteBuilder b : builders) {
            b.updateRoutesToCamelContext(context);
        }
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String id : remove) {
            RouteDefinition gone = keep.contains(id) ? null : model.getRouteDefinition(id);
            if (gone != null) {
                model.removeRouteDefinition(gone);
            }
        }
    }

    private Set<String> routeIds(String location) {
        Set<String> ids = new LinkedHashSet<>();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition r : model.getRouteDefinitions()) {
            if (location != null && r.getResource() != null && location.equals(r.getResource().getLocation())) {
                ids.add(r.getRouteId());
            }
        }
        return ids;
    }

    private static Set<String> ids(List<RouteBuilder> builders) {
        Set<String> ids = new LinkedHashSet<>();
        builders.forEach(b -> b.getRouteCollection().getRoutes().forEach(r -> ids.add(r.getRouteId())));
        return ids;
    }

    private void refuse(String outcome, String file, String why) {
        metrics.counter("hub_routes_reload_total", "outcome", outcome).increment();
        LOG.warn("routes: refused {}: {}", file, why);
    }

    /** The innermost cause, on one line (YAML errors span several). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }
}
