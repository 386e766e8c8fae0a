package com.emaileventhub.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One destination's delivery meters, labelled destination=NAME: delivered / retried / dead counters,
 * backlog and oldest-pending-age gauges (refreshed by the engine from the queue table, so they hold
 * across instances), and the latency from the hub receiving an event to the destination taking it.
 */
public final class DeliveryMetrics {
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;
    private final Timer latency;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    public DeliveryMetrics(MeterRegistry registry, String destination) {
        delivered = Counter.builder("hub_delivery_delivered").description("events a destination took")
                .tag("destination", destination).register(registry);
        retried = Counter.builder("hub_delivery_retried").description("events scheduled for another attempt")
                .tag("destination", destination).register(registry);
        dead = Counter.builder("hub_delivery_dead").description("events dead-lettered for a destination")
                .tag("destination", destination).register(registry);
        latency = Timer.builder("hub_delivery_latency").description("time from the hub receiving an event to its delivery")
                .tag("destination", destination).publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("hub_delivery_backlog", backlog, AtomicLong::get).description("events waiting for a destination")
                .tag("destination", destination).register(registry);
        Gauge.builder("hub_delivery_oldest_pending_seconds", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("age of the oldest event waiting for a destination")
                .tag("destination", destination).register(registry);
    }

    public void delivered(int n, Duration... latencies) {
        delivered.increment(n);
        for (Duration d : latencies) {
            latency.record(d.isNegative() ? Duration.ZERO : d);
        }
    }

    public void retried(int n) {
        retried.increment(n);
    }

    public void dead(int n) {
        dead.increment(n);
    }

    public void backlog(long pending, long oldestAgeMillis) {
        this.backlog.set(pending);
        this.oldestAgeMillis.set(Math.max(0, oldestAgeMillis));
    }

    public double deliveredCount() {
        return delivered.count();
    }

    public double retriedCount() {
        return retried.count();
    }

    public double deadCount() {
        return dead.count();
    }
}
