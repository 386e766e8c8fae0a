package com.emaileventhub.telemetry;

import com.emaileventhub.webhook.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/** The hub's own meters (webhooks per vendor and outcome, events per type, acknowledgement latency). */
public final class HubMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** What function meters read, held strongly for the registry's weak references (see journalCommits). */
    private final List<Object> keep = new CopyOnWriteArrayList<>();

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** An accepted webhook request: outcome accepted, reason none. */
    public void accepted(String vendor, long nanos) {
        record(vendor, "accepted", RejectionReason.NONE, nanos);
    }

    /** A webhook request refused (outcome rejected) or not processed (outcome failed), by its reason. */
    public void webhook(String vendor, RejectionReason reason, long nanos) {
        record(vendor, reason.failure() ? "failed" : "rejected", reason.label(), nanos);
    }

    private void record(String vendor, String outcome, String reason, long nanos) {
        counter("hub_webhooks", "vendor", vendor, "outcome", outcome, "reason", reason).increment();
        timers.computeIfAbsent(vendor + '|' + outcome, k -> Timer.builder("hub_webhook_latency")
                        .description("time from request to acknowledgement")
                        .tag("vendor", vendor).tag("outcome", outcome)
                        // a histogram (buckets, aggregated by Prometheus) costs less per request than client-side quantiles
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry))
                .record(Duration.ofNanos(nanos));
    }

    /** A request outside /webhooks/* that no route took (404, or 405 for a wrong method), by the area of its path. */
    public void unrouted(String area, RejectionReason reason) {
        counter("hub_http_rejected", "area", area, "reason", reason.label()).increment();
    }

    /** Events newly stored, per vendor and canonical type (an event already in the journal is not counted again). */
    public void event(String esp, String type) {
        counter("hub_events", "esp", esp, "type", type).increment();
    }

    /** Webhook requests admitted at the HTTP edge and not finished, and the limit at which it sheds load. */
    public void httpInFlight(IntSupplier inFlight, int limit) {
        Gauge.builder("hub_http_inflight_requests", inFlight::getAsInt)
                .description("webhook requests being read, waiting for a worker or processed").register(registry);
        Gauge.builder("hub_http_max_concurrent_requests", () -> limit)
                .description("hub.http.max-concurrent-requests: beyond it webhooks are answered 503").register(registry);
    }

    /**
     * The journal's group commit: transactions committed, the requests they held (their ratio is the group size) and
     * the time they took (its rate is how many were in flight on average: near hub.journal.writers, the database's
     * commits are what intake waits for).
     * Micrometer holds a function counter's object weakly: the suppliers are kept here, or the first garbage
     * collection takes them and the counters read NaN (seen: 0 in every benchmark run).
     */
    public void journalCommits(LongSupplier commits, LongSupplier requests, DoubleSupplier committingSeconds) {
        keep.add(commits);
        keep.add(requests);
        keep.add(committingSeconds);
        FunctionCounter.builder("hub_journal_commits", commits, c -> c.getAsLong())
                .description("journal transactions committed (one per group of concurrent requests)").register(registry);
        FunctionCounter.builder("hub_journal_committed_requests", requests, r -> r.getAsLong())
                .description("webhook requests whose events those transactions held").register(registry);
        FunctionCounter.builder("hub_journal_committing_seconds", committingSeconds, s -> s.getAsDouble())
                .description("time the group transactions took, summed (its rate: groups in flight on average)")
                .register(registry);
    }

    /**
     * The journal rows the journal-fed destinations read: handed on from memory (stored by this instance lately,
     * hub.journal.recent-events) or parsed.
     */
    public <T> void journalReads(T source, ToDoubleFunction<T> fromMemory, ToDoubleFunction<T> parsed) {
        keep.add(source);
        String description = "journal rows the journal-fed destinations read, by where the event came from";
        FunctionCounter.builder("hub_journal_reads", source, fromMemory).tag("source", "memory")
                .description(description).register(registry);
        FunctionCounter.builder("hub_journal_reads", source, parsed).tag("source", "parsed")
                .description(description).register(registry);
    }

    /**
     * The intake pace (hub.journal.max-lag): how far behind intake the furthest working journal-fed destination stands,
     * and the time group commits have waited for it.
     */
    public void intakePace(LongSupplier lagMillis, LongSupplier waitedMillis) {
        keep.add(lagMillis);
        keep.add(waitedMillis);
        Gauge.builder("hub_journal_lag_seconds", lagMillis, l -> l.getAsLong() / 1000.0)
                .description("how far behind intake the furthest journal-fed destination stands (its last full batch)")
                .register(registry);
        FunctionCounter.builder("hub_intake_paced_seconds", waitedMillis, w -> w.getAsLong() / 1000.0)
                .description("time group commits waited for the journal-fed destinations (hub.journal.max-lag)")
                .register(registry);
    }

    public Counter counter(String name, String... tags) {
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
