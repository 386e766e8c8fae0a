package com.emaileventhub.destination;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue.Claimed;
import com.emaileventhub.store.DeliveryQueue.Outcome;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.IntakePace;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.telemetry.DeliveryMetrics;
import java.sql.SQLException;
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
 *
 * <p>A journal-fed destination (the insight figures, the archive) has no outbox row per event: each round it first
 * takes the journal's rows after its cursor ({@link JournalCursor}) and hands them to its route with the cursor's move
 * ({@link Delivery#JOURNAL_ADVANCE}). A route that writes to the hub's database applies the move in the transaction of
 * what it writes and answers whether it did (a Boolean body); for any other route the worker moves the cursor after
 * the route succeeded, so that route must be idempotent (a crash between the two repeats the batch). A batch that
 * fails for an outage is read again next round; an event that fails alone for its data is passed with a dead item.
 * Its outbox still serves the items a replay puts back.
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
    private final JournalCursor cursor;
    private final IntakePace pace;
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

    /**
     * @param cursor the destination's journal cursor, or null when it reads its outbox rows only
     * @param pace   told after each round how far behind intake the journal-fed destination stands
     */
    public DestinationWorker(String destination, CamelContext context, DeliveryQueue queue, JournalCursor cursor,
                             IntakePace pace, DeliverySettings settings, DeliveryMetrics metrics, Clock clock,
                             String owner) {
        this.destination = destination;
        this.context = context;
        this.queue = queue;
        this.cursor = cursor;
        this.pace = pace;
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

    /** Whether the destination follows the journal with a cursor (every stored event goes to it). */
    public boolean followsJournal() {
        return cursor != null;
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
        } catch (RuntimeException e) {
            withdraw();   // a round that failed says nothing of the destination's pace
            throw e;
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
        int followed = cursor == null ? 0 : followJournal();
        List<Claimed> claimed = queue.claim(destination, batchSize, now, now + settings.lease().toMillis(), owner);
        if (claimed.isEmpty()) {
            return followed;
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
        return followed + claimed.size();
    }

    private Exchange send(List<CanonicalEvent> events) {
        return send(events, null);
    }

    private Exchange send(List<CanonicalEvent> events, JournalCursor.Advance advance) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(Delivery.DESTINATION, destination);
        if (advance != null) {
            exchange.setProperty(Delivery.JOURNAL_ADVANCE, advance);
        }
        exchange.getMessage().setBody(events);
        return template.send(Delivery.endpoint(destination), exchange);
    }

    /**
     * The journal's rows after the cursor, as one batch; when it fails for its data, one by one, passing the event
     * that fails alone with a dead item. Returns how many rows were taken (0 after an outage: read again next round).
     */
    private int followJournal() {
        JournalCursor.Position from = cursor.position();
        List<JournalCursor.Entry> entries = cursor.after(from, batchSize);
        if (entries.isEmpty()) {
            pace.report(destination, 0);
            return 0;
        }
        int taken = take(from, entries);
        if (taken == entries.size()) {
            // a full batch: more rows wait, and the destination stands as far behind as its last row's age
            JournalCursor.Entry last = entries.get(entries.size() - 1);
            pace.report(destination, entries.size() < batchSize ? 0 : clock.millis() - last.receivedAt());
        }
        return taken;
    }

    /** The destination no longer paces intake (a failed round, or delivery stopping). */
    void withdraw() {
        if (cursor != null) {
            pace.withdraw(destination);
        }
    }

    /** Hands the rows to the route and moves the cursor; returns how many rows were passed. */
    private int take(JournalCursor.Position from, List<JournalCursor.Entry> entries) {
        List<CanonicalEvent> events = new ArrayList<>(entries.size());
        for (JournalCursor.Entry entry : entries) {
            if (!entry.chosen()) {
                continue;   // a routed destination passes the rows the fan-out did not choose for it
            }
            CanonicalEvent event = read(entry);
            if (event == null) {
                return oneByOne(from, entries);
            }
            events.add(event);
        }
        JournalCursor.Advance advance = new JournalCursor.Advance(destination, from, entries.get(entries.size() - 1).position());
        if (events.isEmpty()) {
            cursor.advance(advance, clock.millis());   // false: another instance passed them first, as well
            return entries.size();
        }
        Exchange exchange = send(events, advance);
        if (exchange.getException() == null) {
            if (moved(exchange, advance)) {
                counted(events);   // not moved: another instance had taken these rows
            }
            return entries.size();
        }
        if (outage(exchange.getException())) {
            return failed(exchange.getException(), entries.size());
        }
        return oneByOne(from, entries);
    }

    private int oneByOne(JournalCursor.Position from, List<JournalCursor.Entry> entries) {
        JournalCursor.Position at = from;
        int taken = 0;
        for (JournalCursor.Entry entry : entries) {
            if (!entry.chosen()) {
                taken++;   // passed with the next chosen row's move, or the last move below
                continue;
            }
            CanonicalEvent event = read(entry);
            String error;
            if (event == null) {
                error = "stored event cannot be read";
            } else {
                JournalCursor.Advance advance = new JournalCursor.Advance(destination, at, entry.position());
                Exchange exchange = send(List.of(event), advance);
                if (exchange.getException() == null) {
                    if (!moved(exchange, advance)) {
                        return taken;   // another instance moved the cursor: next round reads from where it stands
                    }
                    counted(List.of(event));
                    at = entry.position();
                    taken++;
                    continue;
                }
                if (outage(exchange.getException())) {
                    return taken + failed(exchange.getException(), 1);
                }
                error = describe(exchange.getException());
            }
            lastError = error;
            metrics.dead(1);
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_EVENT, entry.eventId())) {
                LOG.warn("{}: event {} is dead for this destination: {}", destination, entry.eventId(), error);
            }
            if (!cursor.deadLetter(entry, at, error, clock.millis())) {
                return taken;   // another instance moved the cursor: next round reads from where it stands
            }
            at = entry.position();
            taken++;
        }
        JournalCursor.Position last = entries.get(entries.size() - 1).position();
        if (!at.equals(last)) {
            cursor.advance(new JournalCursor.Advance(destination, at, last), clock.millis());
        }
        return taken;
    }

    /**
     * Whether this instance moved the cursor over a batch its route took: the route's answer when it moved the cursor
     * in its own transaction (a Boolean body), else the move made here.
     */
    private boolean moved(Exchange exchange, JournalCursor.Advance advance) {
        if (exchange.getMessage().getBody() instanceof Boolean moved) {
            return moved;
        }
        return cursor.advance(advance, clock.millis());
    }

    private CanonicalEvent read(JournalCursor.Entry entry) {
        if (entry.known() != null) {
            return entry.known();   // stored by this instance lately: the event intake built, equal to the row's parse
        }
        try {
            return Json.MAPPER.readValue(entry.body(), CanonicalEvent.class);
        } catch (Exception e) {
            return null;
        }
    }

    private void counted(List<CanonicalEvent> events) {
        long now = clock.millis();
        Duration[] latencies = new Duration[events.size()];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = Duration.ofMillis(now - events.get(i).receivedAt().toEpochMilli());
        }
        metrics.delivered(latencies.length, latencies);
        lastDeliveredAt = now;
    }

    private int failed(Exception failure, int events) {
        withdraw();   // an outage: intake goes on, the journal keeps the events until the destination is back
        lastError = describe(failure);
        metrics.retried(events);
        LOG.warn("{}: {} journal events not applied, read again next round: {}", destination, events, lastError);
        return 0;
    }

    /**
     * Whether applying again later may succeed: anything but a value the database refuses (SQLState classes 22 and
     * 23) or a fault of the event's own data in the destination's code. A route away for a live reload, a lost
     * connection or a lock timeout are outages: the cursor waits, it never passes an event for them.
     */
    static boolean outage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                String state = e.getNextException() != null && e.getNextException().getSQLState() != null
                        ? e.getNextException().getSQLState() : e.getSQLState();
                return state == null || !(state.startsWith("22") || state.startsWith("23"));
            }
            if (t instanceof NullPointerException || t instanceof IllegalArgumentException
                    || t instanceof ArithmeticException || t instanceof IndexOutOfBoundsException
                    || t instanceof ClassCastException || t instanceof UnsupportedOperationException) {
                return false;
            }
        }
        return true;
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
        long pending = b.pending();
        Long oldest = b.oldestCreatedAt();
        if (cursor != null) {
            JournalCursor.Backlog j = cursor.backlog();
            pending += j.pending();
            if (j.nextReceivedAt() != null && (oldest == null || j.nextReceivedAt() < oldest)) {
                oldest = j.nextReceivedAt();
            }
        }
        backlog = pending;
        oldestPendingMillis = oldest == null ? 0 : now - oldest;
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
