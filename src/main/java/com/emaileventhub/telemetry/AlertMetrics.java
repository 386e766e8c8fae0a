package com.emaileventhub.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert meters: hub_alert_notifications_total{rule, action} counts what this instance queued for the channels
 * (trigger, renotify, escalate, resolve); hub_alerts_firing{rule} is the number of firing alerts in the
 * database (all instances), read at each evaluation.
 */
public final class AlertMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> firing = new ConcurrentHashMap<>();

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void notified(String rule, String action) {
        Counter.builder("hub_alert_notifications").description("alert notifications queued for the channels")
                .tag("rule", rule).tag("action", action).register(registry).increment();
    }

    public void firing(String rule, long count) {
        firing.computeIfAbsent(rule, r -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("hub_alerts_firing", value, AtomicLong::get).description("alerts firing now")
                    .tag("rule", r).register(registry);
            return value;
        }).set(count);
    }
}
