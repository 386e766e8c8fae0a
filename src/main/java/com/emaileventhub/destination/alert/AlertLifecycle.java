package com.emaileventhub.destination.alert;

import com.emaileventhub.event.EventIds;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.store.AlertStore.Alert;
import com.emaileventhub.store.AlertStore.Change;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one evaluation of a rule changes. A group at or above warn fires an alert (sent once), which is sent
 * again every {@code renotify} while it lasts and once more when it rises from warning to critical; it
 * stays critical until resolved. An alert is resolved (and sent) only after every evaluation for
 * {@code resolveAfter} found its group below warn, so a value hovering at the threshold keeps one alert open
 * and notifies once instead of every interval.
 */
public final class AlertLifecycle {
    public static final String TRIGGER = "trigger";
    public static final String RENOTIFY = "renotify";
    public static final String ESCALATE = "escalate";
    public static final String RESOLVE = "resolve";
    static final String WARNING = "warning";
    static final String CRITICAL = "critical";

    private final Duration renotify;
    private final Duration resolveAfter;

    public AlertLifecycle(Duration renotify, Duration resolveAfter) {
        this.renotify = renotify;
        this.resolveAfter = resolveAfter;
    }

    public List<Change> decide(AlertRule rule, Map<Map<String, String>, Reading> readings, Map<String, Alert> firing,
                               long now) {
        List<Change> changes = new ArrayList<>();
        Set<String> above = new HashSet<>();
        for (Map.Entry<Map<String, String>, Reading> e : readings.entrySet()) {
            Reading r = e.getValue();
            if (r.value() < rule.warn()) {
                continue;
            }
            String key = dedupKey(rule.name(), e.getKey());
            above.add(key);
            String severity = r.value() >= rule.critical() ? CRITICAL : WARNING;
            Alert old = firing.get(key);
            if (old == null) {
                Alert a = new Alert(EventIds.hash(key + "|" + now), rule.name(), key, group(e.getKey()),
                        AlertStore.FIRING, severity, r.value(), r.numerator(), r.denominator(), rule.warn(),
                        rule.critical(), window(rule), now, now, now, null, null);
                changes.add(change(a, TRIGGER, now));
                continue;
            }
            String action = null;
            if (CRITICAL.equals(severity) && WARNING.equals(old.severity())) {
                action = ESCALATE;
            } else if (now - old.notifiedAt() >= renotify.toMillis()) {
                action = RENOTIFY;
                severity = old.severity();
            } else {
                severity = old.severity();
            }
            Alert a = with(old, AlertStore.FIRING, severity, r, now, action == null ? old.notifiedAt() : now, null, null);
            changes.add(change(a, action, now));
        }
        for (Alert old : firing.values()) {
            if (above.contains(old.dedupKey())) {
                continue;
            }
            Reading r = readings.getOrDefault(groupOf(old, readings), new Reading(0, null, null));
            long belowSince = old.belowSince() == null ? now : old.belowSince();
            if (now - belowSince >= resolveAfter.toMillis()) {
                changes.add(change(with(old, AlertStore.RESOLVED, old.severity(), r, now, now, belowSince, now),
                        RESOLVE, now));
            } else {
                changes.add(change(with(old, AlertStore.FIRING, old.severity(), r, now, old.notifiedAt(), belowSince,
                        null), null, now));
            }
        }
        return changes;
    }

    /** {@code RULE:dim=value,...} in the rule's group-by order (an absent value is empty). */
    public static String dedupKey(String rule, Map<String, String> group) {
        return rule + ":" + group.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()))
                .collect(Collectors.joining(","));
    }

    private static Map<String, String> groupOf(Alert a, Map<Map<String, String>, Reading> readings) {
        return readings.keySet().stream().filter(g -> dedupKey(a.rule(), g).equals(a.dedupKey())).findFirst()
                .orElse(null);
    }

    private static Alert with(Alert a, String status, String severity, Reading r, long now, long notifiedAt,
                              Long belowSince, Long resolvedAt) {
        return new Alert(a.id(), a.rule(), a.dedupKey(), a.group(), status, severity, r.value(), r.numerator(),
                r.denominator(), a.warn(), a.critical(), a.window(), a.startedAt(), now, notifiedAt, belowSince,
                resolvedAt);
    }

    private static Change change(Alert a, String action, long now) {
        return new Change(a, action, action == null ? null : EventIds.hash(a.id() + "|" + action + "|" + now),
                action == null ? null : json(a).toString());
    }

    private static String window(AlertRule rule) {
        return AlertRule.SILENCE.equals(rule.metric()) ? null : rule.window().toString();
    }

    private static String group(Map<String, String> group) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        group.forEach(g::put);
        return g.toString();
    }

    /** The alert object of the contract (GET /api/alerts, the generic webhook). */
    public static ObjectNode json(Alert a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("rule", a.rule());
        n.put("status", a.status());
        n.put("severity", a.severity());
        try {
            n.set("group", Json.MAPPER.readTree(a.group()));
        } catch (Exception e) {
            throw new IllegalStateException("alert " + a.id() + " has an unreadable group", e);
        }
        n.put("value", a.value());
        n.put("warn", a.warn());
        n.put("critical", a.critical());
        n.put("numerator", a.numerator());
        n.put("denominator", a.denominator());
        n.put("window", a.window());
        n.put("started_at", Timestamps.format(Instant.ofEpochMilli(a.startedAt())));
        n.put("evaluated_at", Timestamps.format(Instant.ofEpochMilli(a.evaluatedAt())));
        n.put("dedup_key", a.dedupKey());
        return n;
    }
}
