package com.emaileventhub.http;

import com.emaileventhub.webhook.RejectionReason;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Vert.x handlers in front of every /webhooks/* route, ahead of the body handler: unknown vendors
 * (404), plain HTTP where HTTPS is required and sources outside the vendor's allow-list (403), and
 * load beyond hub.http.max-concurrent-requests (503) are answered before a byte of the body is read.
 * Admitted requests get a deadline (hub.http.request-timeout) after which the client is answered 503.
 */
final class WebhookGate {
    static final String PREFIX = "/webhooks/";
    private static final String ADMISSION = "hub.admission";

    private final EdgeSettings settings;
    private final ClientAddress clients;
    private final EdgeOutcomes outcomes;
    private final Semaphore permits;
    private final Map<HttpServerRequest, Admission> admissions = new ConcurrentHashMap<>();
    private final long retryAfterSeconds;
    private volatile Predicate<String> knownVendor = v -> true;

    WebhookGate(EdgeSettings settings, EdgeOutcomes outcomes) {
        this.settings = settings;
        this.clients = new ClientAddress(settings.trustedProxies);
        this.outcomes = outcomes;
        this.permits = new Semaphore(settings.maxConcurrentRequests);
        this.retryAfterSeconds = Math.max(1, settings.retryAfter.toSeconds());
    }

    void knownVendor(Predicate<String> known) {
        this.knownVendor = known;
    }

    /** Requests admitted and not yet finished (being processed, waiting for a worker, or reading their body). */
    int inFlight() {
        return settings.maxConcurrentRequests - permits.availablePermits();
    }

    /** First handler of /webhooks/*: runs on the event loop, before the body is read. */
    void admit(RoutingContext ctx) {
        long started = System.nanoTime();
        String vendor = vendorOf(ctx.normalizedPath());
        if (vendor == null || !knownVendor.test(vendor)) {
            refuse(ctx, "unknown", 404, RejectionReason.NOT_FOUND, "no webhook route at " + PREFIX + (vendor == null ? "" : vendor), started);
            return;
        }
        if (settings.requireHttps && !arrivedOverHttps(ctx)) {
            refuse(ctx, vendor, 403, RejectionReason.HTTPS_REQUIRED, "webhooks are accepted over HTTPS only", started);
            return;
        }
        AddressList allowed = settings.allowList(vendor);
        if (!allowed.isEmpty()) {
            InetAddress client = clients.resolve(ctx.request().remoteAddress().hostAddress(),
                    ctx.request().headers().getAll("X-Forwarded-For"));
            if (!allowed.contains(client)) {
                refuse(ctx, vendor, 403, RejectionReason.IP_NOT_ALLOWED, "source address is not in the allow-list of " + vendor, started);
                return;
            }
        }
        if (!permits.tryAcquire()) {
            shed(ctx, vendor, RejectionReason.OVERLOADED, "the hub is at its limit of concurrent webhook requests; retry later", started);
            return;
        }
        HttpServerRequest request = ctx.request();
        Admission admission = new Admission(vendor, started, () -> {
            admissions.remove(request);
            permits.release();
        });
        admissions.put(request, admission);
        ctx.put(ADMISSION, admission);
        long timer = ctx.vertx().setTimer(settings.requestTimeout.toMillis(), id -> {
            if (!ctx.response().ended() && admission.expire()) {
                shed(ctx, vendor, RejectionReason.TIMEOUT, "the request was not processed within " + settings.requestTimeout
                        + "; retry later", started);
            }
        });
        ctx.addEndHandler(done -> {
            ctx.vertx().cancelTimer(timer);
            admission.responseEnded();
        });
        ctx.next();
    }

    /** Engine handler, after the body handler: the request now goes to a worker thread. */
    void dispatched(RoutingContext ctx) {
        Admission admission = ctx.get(ADMISSION);
        if (admission != null) {
            admission.dispatched();
        }
        ctx.next();
    }

    /** Failure handler of /webhooks/*: Vert.x's own refusals (413 from the body handler) answered as JSON. */
    void failed(RoutingContext ctx) {
        String vendor = vendorOf(ctx.normalizedPath());
        String label = vendor != null && knownVendor.test(vendor) ? vendor : "unknown";
        Admission admission = ctx.get(ADMISSION);
        long started = admission == null ? System.nanoTime() : admission.startedNanos();
        if (ctx.statusCode() == 413) {
            refuse(ctx, label, 413, RejectionReason.TOO_LARGE, "body is larger than " + settings.maxBodyBytes + " bytes", started);
        } else if (Answers.error(ctx, 500, "internal error; nothing was stored", null)) {
            outcomes.webhook(label, RejectionReason.INTERNAL_ERROR, System.nanoTime() - started);
        }
    }

    /** Wraps a webhook route's processor: a request answered at its deadline while waiting for a worker is not run. */
    Processor guard(Processor route) {
        return exchange -> {
            Admission admission = admissionOf(exchange);
            if (admission == null) {
                route.process(exchange);
                return;
            }
            if (!admission.begin()) {
                return;
            }
            try {
                route.process(exchange);
            } finally {
                admission.finish();
            }
        };
    }

    private Admission admissionOf(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage message ? admissions.get(message.getRequest()) : null;
    }

    private boolean arrivedOverHttps(RoutingContext ctx) {
        if (ctx.request().isSSL()) {
            return true;
        }
        if (!clients.trusted(ctx.request().remoteAddress().hostAddress())) {
            return false;
        }
        // the proxy nearest the hub says how the request reached it
        String proto = ctx.request().getHeader("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        String[] hops = proto.split(",");
        return hops[hops.length - 1].trim().equalsIgnoreCase("https");
    }

    private void refuse(RoutingContext ctx, String vendor, int status, RejectionReason reason, String message, long started) {
        if (Answers.error(ctx, status, message, null)) {
            outcomes.webhook(vendor, reason, System.nanoTime() - started);
        }
    }

    private void shed(RoutingContext ctx, String vendor, RejectionReason reason, String message, long started) {
        if (Answers.error(ctx, 503, message, retryAfterSeconds)) {
            outcomes.webhook(vendor, reason, System.nanoTime() - started);
        }
    }

    /** "/webhooks/sendgrid" and "/webhooks/sendgrid/" give "sendgrid"; anything deeper or empty gives null. */
    static String vendorOf(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest.isEmpty() || rest.indexOf('/') >= 0 ? null : rest;
    }
}
