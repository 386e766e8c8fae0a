package com.emaileventhub.destination.suppression;

import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.DestinationConfigurationException;
import com.emaileventhub.destination.RetryAfter;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.SuppressionStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The Java half of destination suppression-forward: each queued item is the event that caused a new
 * suppression; it is POSTed as the same JSON that GET /api/suppressions/{email} answers. The answer
 * decides the outcome: 2xx delivered; 401/403 a configuration error; 408/429/5xx (and network
 * errors) retried, Retry-After honoured; any other 4xx refused for good.
 */
public final class SuppressionForward {

    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        if (events.size() != 1) {
            throw new IllegalStateException("suppression-forward posts one suppression per request: "
                    + "hub.suppression-forward.batch-size must be 1");
        }
        CanonicalEvent e = events.get(0);
        exchange.setProperty("hub.forward.event", e.id());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", Recipients.normalize(e.recipient()));
        body.put("reason", reason(e));
        body.put("esp", e.esp());
        body.put("first_at", Timestamps.format(e.occurredAt()));
        body.put("last_at", Timestamps.format(e.occurredAt()));
        body.put("event_id", e.id());
        var msg = exchange.getMessage();
        msg.getHeaders().clear();
        msg.setHeader(Exchange.HTTP_METHOD, "POST");
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(body.toString());
    }

    /** doCatch of the HTTP call: turn the status into the delivery contract's outcome. */
    public void failed(Exchange exchange) {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        int status = failure.getStatusCode();
        if (status == 401 || status == 403) {
            throw new DestinationConfigurationException("hub.suppression.forward-url answered " + status);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            String id = exchange.getProperty("hub.forward.event", String.class);
            exchange.setProperty(Delivery.FAILED, Map.of(id, "forward URL answered " + status));
            return;
        }
        Duration retryAfter = retryAfter(failure.getResponseHeaders());
        if (retryAfter != null) {
            exchange.setProperty(Delivery.RETRY_AFTER, retryAfter);
        }
        throw new IllegalStateException("forward URL answered " + status);
    }

    static String reason(CanonicalEvent e) {
        if (SuppressionStore.MANUAL_ESP.equals(e.esp()) && e.reason() != null) {
            return e.reason();   // a suppression added by hand carries its own reason
        }
        if (e.type() == EventType.BOUNCED) {
            return e.bounceType() == BounceType.HARD ? SuppressionRules.HARD_BOUNCE : SuppressionRules.REPEATED_SOFT_BOUNCE;
        }
        return e.type() == EventType.COMPLAINED ? SuppressionRules.COMPLAINT : SuppressionRules.UNSUBSCRIBE;
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    private static Duration retryAfter(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        String value = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase("Retry-After")) {
                value = h.getValue();
            }
        }
        return RetryAfter.parse(value, Instant.now());
    }
}
