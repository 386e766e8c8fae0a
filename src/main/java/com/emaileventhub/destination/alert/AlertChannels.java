package com.emaileventhub.destination.alert;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.HttpFailure;
import com.emaileventhub.destination.JsonPost;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.store.AlertStore.Notification;
import com.emaileventhub.verify.StandardWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Java half of the alert channel destinations (routes/destinations/alerts.camel.yaml): each queued item is
 * one notification, turned into the request of its channel. A channel is active when its URL or key is set.
 */
public final class AlertChannels {
    public static final String SLACK = "alert-slack";
    public static final String PAGERDUTY = "alert-pagerduty";
    public static final String WEBHOOK = "alert-webhook";

    /** The key of each channel's endpoint, as errors name it. */
    private static final Map<String, String> URL_KEYS = Map.of(SLACK, "hub.alerts.slack-url",
            PAGERDUTY, "hub.alerts.pagerduty-url", WEBHOOK, "hub.alerts.webhook-url");

    private final AlertStore store;
    private final String routingKey;
    private final String webhookSecret;
    private final String source;
    private final Clock clock;

    public AlertChannels(HubConfig config, AlertStore store, Clock clock) {
        this.store = store;
        this.routingKey = config.get("hub.alerts.pagerduty-routing-key");
        this.webhookSecret = config.get("hub.alerts.webhook-secret");
        this.source = config.require("hub.alerts.source");
        this.clock = clock;
        if (config.get("hub.alerts.webhook-url") != null && webhookSecret != null) {
            StandardWebhooks.decodeSecret(webhookSecret, "hub.alerts.webhook-secret");   // a bad secret stops start-up
        }
    }

    /** The channel destinations to queue notifications for. */
    public static List<String> configured(HubConfig config) {
        List<String> out = new ArrayList<>();
        if (config.get("hub.alerts.slack-url") != null) {
            out.add(SLACK);
        }
        if (config.get("hub.alerts.pagerduty-routing-key") != null) {
            out.add(PAGERDUTY);
        }
        if (config.get("hub.alerts.webhook-url") != null) {
            out.add(WEBHOOK);
        }
        return out;
    }

    /** Slack-compatible incoming webhook: {"text": "..."}. */
    public void slack(Exchange exchange) {
        Notification n = notification(exchange);
        JsonNode a = alert(n);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("text", text(n.action(), a));
        JsonPost.prepare(exchange, body.toString());
    }

    /** PagerDuty Events API v2: trigger (also for renotify and escalate) or resolve, keyed by the dedup_key. */
    public void pagerduty(Exchange exchange) {
        Notification n = notification(exchange);
        JsonNode a = alert(n);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("routing_key", routingKey);
        body.put("event_action", AlertLifecycle.RESOLVE.equals(n.action()) ? "resolve" : "trigger");
        body.put("dedup_key", a.path("dedup_key").asText());
        if (!AlertLifecycle.RESOLVE.equals(n.action())) {
            ObjectNode payload = body.putObject("payload");
            String summary = text(n.action(), a);
            payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1024) : summary);
            payload.put("source", source);
            payload.put("severity", a.path("severity").asText());
            payload.put("timestamp", a.path("evaluated_at").asText());
            payload.put("component", "email");
            payload.put("group", a.path("group").toString());
            payload.put("class", a.path("rule").asText());
            payload.set("custom_details", a);
        }
        JsonPost.prepare(exchange, body.toString());
    }

    /** Generic webhook: the alert object, signed the Standard Webhooks way when a secret is set. */
    public void webhook(Exchange exchange) {
        Notification n = notification(exchange);
        String body = n.body();
        JsonPost.prepare(exchange, body);
        if (webhookSecret != null) {
            String timestamp = String.valueOf(clock.millis() / 1000);
            Message m = exchange.getMessage();
            m.setHeader("webhook-id", n.id());
            m.setHeader("webhook-timestamp", timestamp);
            m.setHeader("webhook-signature", StandardWebhooks.sign(webhookSecret, n.id(), timestamp,
                    body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** doCatch of a channel's HTTP call. */
    public void failed(Exchange exchange) {
        String destination = exchange.getProperty(Delivery.DESTINATION, String.class);
        HttpFailure.classify(exchange, URL_KEYS.getOrDefault(destination, destination));
    }

    /** One line a person reads: what happened, the rule, the group, the value against its thresholds. */
    static String text(String action, JsonNode a) {
        String what = switch (action) {
            case AlertLifecycle.RESOLVE -> "RESOLVED";
            case AlertLifecycle.ESCALATE -> "ESCALATED to critical";
            case AlertLifecycle.RENOTIFY -> "STILL FIRING (" + a.path("severity").asText() + ")";
            default -> "FIRING (" + a.path("severity").asText() + ")";
        };
        StringBuilder s = new StringBuilder("[email-event-hub] ").append(what).append(": ")
                .append(a.path("rule").asText()).append(' ').append(a.path("group").toString())
                .append(" value ").append(a.path("value").asDouble())
                .append(" (warn ").append(a.path("warn").asDouble())
                .append(", critical ").append(a.path("critical").asDouble()).append(')');
        if (!a.path("denominator").isNull() && !a.path("denominator").isMissingNode()) {
            s.append(", ").append(a.path("numerator").asLong()).append('/').append(a.path("denominator").asLong());
        }
        if (!a.path("window").isNull()) {
            s.append(" over ").append(a.path("window").asText());
        }
        return s.append(" since ").append(a.path("started_at").asText()).toString();
    }

    @SuppressWarnings("unchecked")
    private Notification notification(Exchange exchange) {
        List<CanonicalEvent> items = exchange.getMessage().getBody(List.class);
        if (items.size() != 1) {
            throw new IllegalStateException("alert channels post one notification per request: "
                    + "hub.alert-*.batch-size must be 1");
        }
        String id = items.get(0).id();
        Notification n = store.notifications(List.of(id)).get(id);
        if (n == null) {
            throw new IllegalStateException("alert notification " + id + " is not stored");
        }
        exchange.setProperty(HttpFailure.ITEM, id);
        return n;
    }

    private static JsonNode alert(Notification n) {
        try {
            return Json.MAPPER.readTree(n.body());
        } catch (Exception e) {
            throw new IllegalStateException("alert notification " + n.id() + " is unreadable", e);
        }
    }
}
