package com.emaileventhub.destination.alert;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.store.AlertFigures;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.store.AlertStore.Change;
import com.emaileventhub.store.InsightRates;
import com.emaileventhub.telemetry.AlertMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every alert rule (route alerts-evaluate, every hub.alerts.interval): reads each group's value,
 * lets {@link AlertLifecycle} decide, and stores the changes with their notifications, queued for each
 * channel that is configured (docs/alerts.md).
 */
public final class AlertEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final List<AlertRule> rules;
    private final AlertFigures figures;
    private final AlertStore store;
    private final AlertLifecycle lifecycle;
    private final List<String> channels;
    private final AlertMetrics metrics;
    private final Clock clock;

    public AlertEngine(HubConfig config, AlertFigures figures, AlertStore store, AlertMetrics metrics, Clock clock) {
        this.rules = AlertRule.all(config);
        this.figures = figures;
        this.store = store;
        this.lifecycle = new AlertLifecycle(config.duration("hub.alerts.renotify"),
                config.duration("hub.alerts.resolve-after"));
        this.channels = AlertChannels.configured(config);
        this.metrics = metrics;
        this.clock = clock;
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** One evaluation now. */
    public void evaluate() {
        evaluate(clock.instant());
    }

    /** One evaluation of every rule as at {@code at}; returns the changes that notify. */
    public List<Change> evaluate(Instant at) {
        long now = at.toEpochMilli();
        List<Change> sent = new ArrayList<>();
        for (AlertRule rule : rules) {
            Map<Map<String, String>, Reading> readings = readings(rule, now);
            for (Change c : store.evaluate(rule.name(), now, channels,
                    firing -> lifecycle.decide(rule, readings, firing, now))) {
                if (c.action() != null) {
                    metrics.notified(rule.name(), c.action());
                    LOG.info("alert {} {} ({}, value {})", c.alert().dedupKey(), c.action(), c.alert().severity(),
                            c.alert().value());
                    sent.add(c);
                }
            }
        }
        Map<String, Long> firing = store.firingPerRule();
        rules.forEach(r -> metrics.firing(r.name(), firing.getOrDefault(r.name(), 0L)));
        return sent;
    }

    Map<Map<String, String>, Reading> readings(AlertRule rule, long now) {
        long from = now - rule.window().toMillis();
        Map<Map<String, String>, Reading> out = new HashMap<>();
        switch (rule.metric()) {
            case AlertRule.CLICKS -> figures.clicksPerMessage(from, now + 1).forEach((key, clicks) -> {
                Map<String, String> group = new LinkedHashMap<>();
                group.put("message_id", key.get("message_id"));
                out.merge(group, new Reading(clicks, clicks, null),
                        (a, b) -> new Reading(a.value() + b.value(), a.numerator() + b.numerator(), null));
            });
            case AlertRule.SILENCE -> figures.lastEventPerEsp(from, now).forEach((esp, last) ->
                    out.put(Map.of("esp", esp), new Reading((now - last) / 60_000.0, null, null)));
            default -> {
                InsightRates.Rate rate = InsightRates.byName(rule.metric());
                figures.counts(from, now + 1, rule.groupBy()).forEach((group, counts) -> {
                    Reading r = rateReading(rule, rate.numerator(counts), rate.denominator(counts));
                    if (r != null) {
                        out.put(group, r);
                    }
                });
            }
        }
        return out;
    }

    /** A rate's reading, or null when its denominator is below the rule's min-volume (or 0): the group is silent. */
    static Reading rateReading(AlertRule rule, long numerator, long denominator) {
        if (denominator == 0 || denominator < rule.minVolume()) {
            return null;
        }
        return new Reading((double) numerator / denominator, numerator, denominator);
    }
}
