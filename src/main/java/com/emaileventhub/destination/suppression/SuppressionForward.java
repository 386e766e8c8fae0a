package com.emaileventhub.destination.suppression;

import com.emaileventhub.destination.HttpFailure;
import com.emaileventhub.destination.JsonPost;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.SuppressionStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.camel.Exchange;

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
        exchange.setProperty(HttpFailure.ITEM, e.id());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", Recipients.normalize(e.recipient()));
        body.put("reason", reason(e));
        body.put("esp", e.esp());
        body.put("first_at", Timestamps.format(e.occurredAt()));
        body.put("last_at", Timestamps.format(e.occurredAt()));
        body.put("event_id", e.id());
        JsonPost.prepare(exchange, body.toString());
    }

    /** doCatch of the HTTP call: turn the status into the delivery contract's outcome. */
    public void failed(Exchange exchange) {
        HttpFailure.classify(exchange, "hub.suppression.forward-url");
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
}
