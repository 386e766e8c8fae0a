package com.emaileventhub.destination;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue.Claimed;
import com.emaileventhub.store.DeliveryQueue.Outcome;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.telemetry.DeliveryMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drains one destination's queue: claim a batch, load its events from the journal, hand them to the
 * destination's route (the {@link Delivery} contract) and record each event's outcome. Runs on its own
 * thread, so a slow or broken destination never holds up another.
 */
public final class DestinationWorker {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
    /** Logging context (MDC) of every line written while a batch is delivered: the destination, and one event's id. */
    public static final String MDC_DESTINATION = "destination";
    public static final String MDC_EVENT = "event";

    /** What health and operators see of a destination. */
    public record Status(String destination, long backlog, long oldestPendingMillis, String configurationError,
                         String lastError, long lastDeliveredAt) {
    }

    private final String destination;
    private final DeliveryQueue queue;
    private final DeliverySettings settings;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final String owner;
    private final int batchSize;
    private final ProducerTemplate template;
    private final CamelContext context;

    private volatile String configurationError;
    private volatile String lastError;
    private volatile long lastDeliveredAt;
    private volatile long backlog;
    private volatile long oldestPendingMillis;
    private volatile long gaugesRefreshedAt;

    public DestinationWorker(String destination, CamelContext context, DeliveryQueue queue, DeliverySettings settings,
                             DeliveryMetrics metrics, Clock clock, String owner) {
        this.destination = destination;
        this.context = context;
        this.queue = queue;
        this.settings = settings.forDestination(destination);
        this.metrics = metrics;
        this.clock = clock;
        this.owner = owner;
        this.batchSize = settings.batchSize(destination);
        this.template = context.createProducerTemplate();
        try {
            context.addService(template, true);   // stopped with the context, with its cached producers
        } catch (Exception e) {
            throw new IllegalStateException("producer of destination " + destination + " not registered", e);
        }
    }

    public String destination() {
        return destination;
    }

    public int batchSize() {
        return batchSize;
    }

    public Status status() {
        return new Status(destination, backlog, oldestPendingMillis, configurationError, lastError, lastDeliveredAt);
    }

    /** One round: returns how many items were claimed (0 when nothing was due). */
    public int runOnce() {
        // the destination's route runs on this thread too (direct:), so its lines name the destination as well
        String outer = MDC.get(MDC_DESTINATION);
        MDC.put(MDC_DESTINATION, destination);
        try {
            return deliverOnce();
        } finally {
            if (outer == null) {
                MDC.remove(MDC_DESTINATION);   // threads are pooled
            } else {
                MDC.put(MDC_DESTINATION, outer);
            }
            MDC.remove(MDC_EVENT);
        }
    }

    private int deliverOnce() {
        long now = clock.millis();
        refreshGauges(now, false);
        List<Claimed> claimed = queue.claim(destination, batchSize, now, now + settings.lease().toMillis(), owner);
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<String, String> bodies = queue.events(claimed.stream().map(Claimed::eventId).toList());
        List<Outcome> outcomes = new ArrayList<>(claimed.size());
        List<CanonicalEvent> events = new ArrayList<>(claimed.size());
        List<Claimed> sent = new ArrayList<>(claimed.size());
        for (Claimed item : claimed) {
            String body = bodies.get(item.eventId());
            if (body == null) {
                outcomes.add(dead(item, "event " + item.eventId() + " is no longer in the journal"));
                continue;
            }
            try {
                events.add(Json.MAPPER.readValue(body, CanonicalEvent.class));
                sent.add(item);
            } catch (Exception e) {
                outcomes.add(dead(item, "stored event cannot be read: " + e.getMessage()));
            }
        }
        events.sort(Comparator.comparing(CanonicalEvent::occurredAt).thenComparing(CanonicalEvent::id));
        if (!events.isEmpty()) {
            Exchange exchange = send(events);
            outcomes.addAll(outcomes(exchange, sent, events, clock.millis()));
        }
        int held = queue.apply(destination, owner, clock.millis(), outcomes);
        if (held < outcomes.size()) {
            LOG.warn("{}: {} of {} items were no longer leased to this instance when their outcome was recorded "
                    + "(lease {} too short?); they will be delivered again", destination, outcomes.size() - held,
                    outcomes.size(), settings.lease());
        }
        refreshGauges(clock.millis(), false);
        return claimed.size();
    }

    private Exchange send(List<CanonicalEvent> events) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(Delivery.DESTINATION, destination);
        exchange.getMessage().setBody(events);
        return template.send(Delivery.endpoint(destination), exchange);
    }

    @SuppressWarnings("unchecked")
    private List<Outcome> outcomes(Exchange exchange, List<Claimed> sent, List<CanonicalEvent> events, long now) {
        List<Outcome> out = new ArrayList<>(sent.size());
        Map<Integer, Long> nextByAttempt = new HashMap<>();
        Exception failure = exchange.getException();
        Duration retryAfter = exchange.getProperty(Delivery.RETRY_AFTER, Duration.class);
        DestinationConfigurationException config = failure == null ? null
                : ObjectHelper.getException(DestinationConfigurationException.class, failure);
        if (config != null) {
            if (configurationError == null) {
                LOG.error("{}: the destination refused our configuration ({}); its {} events stay queued and are "
                        + "retried every {} without using up attempts. Fix the hub.{}.* settings.", destination,
                        config.getMessage(), sent.size(), settings.configurationRetry(), destination);
            }
            configurationError = config.getMessage();
            lastError = config.getMessage();
            long next = now + settings.configurationRetry().toMillis();
            for (Claimed item : sent) {
                out.add(new Outcome(item.eventId(), DeliveryQueue.PENDING, item.attempts(), next, config.getMessage()));
            }
            return out;
        }
        if (failure != null) {
            String error = describe(failure);
            lastError = error;
            LOG.warn("{}: delivery of {} events failed: {}", destination, sent.size(), error);
            for (Claimed item : sent) {
                out.add(retryOrDead(item, error, retryAfter, now, nextByAttempt));
            }
            return out;
        }
        configurationError = null;
        Map<String, String> failed = map(exchange.getProperty(Delivery.FAILED, Map.class));
        Map<String, String> retry = map(exchange.getProperty(Delivery.RETRY, Map.class));
        Map<String, CanonicalEvent> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.id(), e));
        List<Duration> latencies = new ArrayList<>();
        for (Claimed item : sent) {
            String id = item.eventId();
            if (failed.containsKey(id)) {
                lastError = failed.get(id);
                out.add(dead(item, "refused by the destination: " + failed.get(id)));
            } else if (retry.containsKey(id)) {
                lastError = retry.get(id);
                out.add(retryOrDead(item, retry.get(id), retryAfter, now, nextByAttempt));
            } else {
                out.add(new Outcome(id, DeliveryQueue.DELIVERED, item.attempts() + 1, now, null));
                latencies.add(Duration.ofMillis(now - byId.get(id).receivedAt().toEpochMilli()));
            }
        }
        if (!latencies.isEmpty()) {
            metrics.delivered(latencies.size(), latencies.toArray(Duration[]::new));
            lastDeliveredAt = now;
        }
        if (!failed.isEmpty() || !retry.isEmpty()) {
            LOG.warn("{}: {} events refused for good, {} to be retried, {} delivered", destination, failed.size(),
                    retry.size(), latencies.size());
        }
        return out;
    }

    private Outcome retryOrDead(Claimed item, String error, Duration retryAfter, long now, Map<Integer, Long> nextByAttempt) {
        int attempts = item.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            return dead(item, "gave up after " + attempts + " attempts: " + error);
        }
        metrics.retried(1);
        // one jittered delay per batch (and attempt count): the items stay together and come back as one batch
        long next = nextByAttempt.computeIfAbsent(attempts,
                a -> now + settings.backoff().delay(a, retryAfter).toMillis());
        return new Outcome(item.eventId(), DeliveryQueue.PENDING, attempts, next, error);
    }

    private Outcome dead(Claimed item, String error) {
        metrics.dead(1);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_EVENT, item.eventId())) {
            LOG.warn("{}: event {} is dead for this destination: {}", destination, item.eventId(), error);
        }
        return new Outcome(item.eventId(), DeliveryQueue.DEAD, item.attempts() + 1, clock.millis(), error);
    }

    /** Backlog gauges come from the table (all instances' view), at most once per gauge interval. */
    public void refreshGauges(long now, boolean force) {
        if (!force && gaugesRefreshedAt != 0 && now - gaugesRefreshedAt < settings.gaugeInterval().toMillis()) {
            return;
        }
        DeliveryQueue.Backlog b = queue.backlog(destination);
        backlog = b.pending();
        oldestPendingMillis = b.oldestCreatedAt() == null ? 0 : now - b.oldestCreatedAt();
        metrics.backlog(backlog, oldestPendingMillis);
        gaugesRefreshedAt = now;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static Map<String, String> map(Map<?, ?> m) {
        Map<String, String> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return out;
    }
}
