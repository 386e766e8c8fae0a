package com.emaileventhub.intake;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.Journal;
import com.emaileventhub.store.StorageUnavailableException;
import com.emaileventhub.store.StoreResult;
import com.emaileventhub.telemetry.HubMetrics;
import com.emaileventhub.webhook.HttpAnswer;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Java half of the intake template: opens a request (raw bytes, headers, vendor settings),
 * stores the normalized events with their fan-out choices, and writes the response. Knows
 * nothing about individual vendors: those are the verifier and normalizer the template names.
 */
public final class Intake {
    public static final String REQUEST = "hub.request";
    private static final String STARTED = "hub.started";
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    /** Logging context (MDC) of every line written while a request is handled: the vendor, and one event's id. */
    public static final String MDC_VENDOR = "vendor";
    public static final String MDC_EVENT = "event";

    private final HubConfig config;
    private final Journal journal;
    private final Fanout fanout;
    private final HubMetrics metrics;
    private final Clock clock;
    private final Map<String, VendorSettings> settings = new ConcurrentHashMap<>();
    private final long maxBodyBytes;

    public Intake(HubConfig config, Journal journal, Fanout fanout, HubMetrics metrics, Clock clock) {
        this.config = config;
        this.journal = journal;
        this.fanout = fanout;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = config.longValue("hub.http.max-body-bytes");
    }

    public VendorSettings settings(String vendor) {
        return settings.computeIfAbsent(vendor, v -> new VendorSettings(v, config::get));
    }

    /** First step of every webhook route: the request as verifiers and normalizers see it. */
    public WebhookRequest open(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        String vendor = exchange.getProperty("hub.vendor", String.class);
        // the verifier, the normalizer and the store run on this thread: their log lines name the vendor
        MDC.put(MDC_VENDOR, vendor);
        MDC.remove(MDC_EVENT);
        VendorSettings vs = settings(vendor);
        if (!vs.enabled()) {
            throw WebhookRejection.notFound("no webhook route for vendor " + vendor);
        }
        byte[] body = RawBody.read(exchange, maxBodyBytes);
        Map<String, String> headers = HttpRequestHeaders.of(exchange);
        WebhookRequest request = new WebhookRequest(vendor, body, headers, vs, clock.instant());
        exchange.setProperty(REQUEST, request);
        return request;
    }

    /** Last step: durable store of the events (with their destinations), then the 200 answer. */
    public void store(Exchange exchange) {
        try {
            storeEvents(exchange);
        } finally {
            clearContext();   // request threads are pooled
        }
    }

    @SuppressWarnings("unchecked")
    private void storeEvents(Exchange exchange) {
        WebhookRequest request = exchange.getProperty(REQUEST, WebhookRequest.class);
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        Map<String, List<String>> destinations = fanout.select(events);
        StoreResult result = journal.store(request.vendor(), request.replayToken(), events, destinations, clock.instant());
        Set<String> stored = new HashSet<>(result.acceptedIds());
        for (CanonicalEvent e : events) {
            if (stored.remove(e.id())) {   // once per new event: a known one, or a repeat within the request, is not counted
                metrics.event(e.esp(), e.type().wireName());
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("accepted", result.accepted());
        body.put("duplicates", result.duplicates());
        HttpAnswer.respond(exchange, 200, body.toString());
        metrics.accepted(request.vendor(), elapsed(exchange));
    }

    /** Error handler of the intake routes: the status the contract promises and a message naming the fault. */
    public void reject(Exchange exchange) {
        try {
            answerFault(exchange);
        } finally {
            clearContext();
        }
    }

    private void answerFault(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String vendor = exchange.getProperty("hub.vendor", "unknown", String.class);
        MDC.put(MDC_VENDOR, vendor);
        int status;
        RejectionReason reason;
        String message;
        if (cause instanceof WebhookRejection r) {
            status = r.status();
            reason = r.reason();
            message = r.getMessage();
            // the message names the check that failed and never a secret or a header value
            LOG.warn("{} webhook refused ({} {}): {}", vendor, status, reason.label(), message);
        } else if (cause instanceof StorageUnavailableException) {
            status = 503;
            reason = RejectionReason.STORAGE_UNAVAILABLE;
            message = "storage is unavailable; nothing was stored, retry later";
            LOG.warn("{} webhook answered 503: {}", vendor, cause.getMessage());
        } else {
            status = 500;
            reason = RejectionReason.INTERNAL_ERROR;
            message = "internal error; nothing was stored";
            LOG.error("{} webhook failed", vendor, cause);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", message);
        HttpAnswer.respond(exchange, status, body.toString());
        metrics.webhook(vendor, reason, elapsed(exchange));
    }

    private static void clearContext() {
        MDC.remove(MDC_VENDOR);
        MDC.remove(MDC_EVENT);
    }

    private static long elapsed(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        return started == null ? 0 : System.nanoTime() - started;
    }

    public Instant now() {
        return clock.instant();
    }
}
