package com.emaileventhub.http;

import com.emaileventhub.webhook.RejectionReason;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.component.platform.http.HttpEndpointModel;

/**
 * The last route of the router: a request that no route took. Vert.x would answer an HTML 404 or an empty
 * 405 / 406 / 415; here a path that some route serves with other methods is answered 405 with an Allow
 * header naming them, a served path and method whose media types did not match 415 or 406, any other path
 * 404 naming the path; all as JSON and counted. Vert.x keeps the error handlers of
 * the server's root router, which platform-http does not expose, so the answer is a route of its own.
 */
final class Unrouted {
    static final int ORDER = Integer.MAX_VALUE;
    private static final String OTHER_AREA = "other";

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^/}]+)\\}");

    private final Router router;
    private final Set<Route> own;
    private final Supplier<Set<HttpEndpointModel>> endpoints;
    private final EdgeOutcomes outcomes;

    /** own: the hub's routes that serve no path of their own (the gate, this one); endpoints: Camel's platform-http consumers. */
    Unrouted(Router router, Set<Route> own, Supplier<Set<HttpEndpointModel>> endpoints, EdgeOutcomes outcomes) {
        this.router = router;
        this.own = own;
        this.endpoints = endpoints;
        this.outcomes = outcomes;
    }

    void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        Set<String> allowed = allowedMethods(path);
        if (allowed.isEmpty()) {
            answer(ctx, started, 404, RejectionReason.NOT_FOUND, "no route at " + path);
        } else if (!allowed.contains(method)) {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            answer(ctx, started, 405, RejectionReason.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path + " (allowed: " + String.join(", ", allowed) + ")");
        } else {
            mediaType(ctx, started, path, method);
        }
    }

    /**
     * The path and method are served, but the route's media types did not match: Vert.x checks consumes (415)
     * before produces (406), so a request whose Accept takes what the path answers was refused for its Content-Type.
     */
    private void mediaType(RoutingContext ctx, long started, String path, String method) {
        String produces = null;
        for (HttpEndpointModel e : endpoints.get()) {
            String template = PATH_PARAMETER.matcher(e.getUri()).replaceAll(":$1");
            if (produces == null && matches(template, true, path)) {
                produces = e.getProduces();
            }
        }
        if (produces != null && !accepts(ctx.parsedHeaders().accept(), produces)) {
            answer(ctx, started, 406, RejectionReason.NOT_ACCEPTABLE, method + " " + path + " answers " + produces + " (Accept)");
        } else {
            answer(ctx, started, 415, RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                    method + " " + path + " does not read " + ctx.parsedHeaders().contentType().value() + " (Content-Type)");
        }
    }

    private static boolean accepts(List<MIMEHeader> accept, String produces) {
        if (accept.isEmpty()) {
            return true;
        }
        for (String type : produces.split(",")) {
            String[] parts = type.trim().split("/", 2);
            for (MIMEHeader a : accept) {
                if ((a.component().equals("*") || a.component().equalsIgnoreCase(parts[0]))
                        && (a.subComponent().equals("*") || parts.length > 1 && a.subComponent().equalsIgnoreCase(parts[1]))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void answer(RoutingContext ctx, long started, int status, RejectionReason reason, String message) {
        if (!Answers.error(ctx, status, message, null)) {
            return;
        }
        String path = ctx.normalizedPath();
        String vendor = WebhookGate.vendorOf(path);
        if (vendor != null) {
            outcomes.webhook(vendor, reason, System.nanoTime() - started);
        } else {
            outcomes.unrouted(area(path), reason);
        }
    }

    /** The methods of the routes whose path matches, in alphabetical order; empty when none does. */
    Set<String> allowedMethods(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (!own.contains(route) && route.getPath() != null && matches(route.getPath(), route.isExactPath(), path)) {
                methods.addAll(route.methods().stream().map(HttpMethod::name).collect(Collectors.toSet()));
            }
        }
        return methods;
    }

    /** The first path segment when the hub serves anything under it (api, observe, webhooks), else "other": a bounded label. */
    private String area(String path) {
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path : path.substring(0, end + 1);
        boolean served = first.length() > 1 && first.endsWith("/") && router.getRoutes().stream()
                .anyMatch(r -> !own.contains(r) && r.getPath() != null && r.getPath().startsWith(first));
        return served ? first.substring(1, first.length() - 1) : OTHER_AREA;
    }

    /** Vert.x's path rules as the hub uses them: exact paths (a trailing slash aside) with :name segments, or a prefix. */
    static boolean matches(String template, boolean exact, String path) {
        if (!exact) {
            return path.startsWith(template);
        }
        String[] want = trim(template).split("/", -1);
        String[] got = trim(path).split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean parameter = want[i].startsWith(":") && !got[i].isEmpty();
            if (!parameter && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trim(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
