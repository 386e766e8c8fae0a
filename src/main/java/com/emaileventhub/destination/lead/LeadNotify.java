package com.emaileventhub.destination.lead;

import com.emaileventhub.destination.HttpFailure;
import com.emaileventhub.destination.JsonPost;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.LeadStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.camel.Exchange;

/** Destination lead-notify: a Slack-compatible {"text"} POST to hub.leads.notify-url per engaged-lead signal. */
public final class LeadNotify {
    private final LeadStore store;

    public LeadNotify(LeadStore store) {
        this.store = store;
    }

    public void prepare(Exchange exchange) {
        LeadStore.Signal s = signal(store, exchange);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("text", "[email-event-hub] Engaged email lead: " + s.recipient() + ", score " + s.score() + " ("
                + s.clicks() + " links clicked, " + s.opens() + " opens). Links: " + String.join(", ", s.links()));
        JsonPost.prepare(exchange, body.toString());
    }

    public void failed(Exchange exchange) {
        HttpFailure.classify(exchange, "hub.leads.notify-url");
    }

    /** The one signal a lead channel's request carries (batch size 1). */
    @SuppressWarnings("unchecked")
    public static LeadStore.Signal signal(LeadStore store, Exchange exchange) {
        List<CanonicalEvent> items = exchange.getMessage().getBody(List.class);
        if (items.size() != 1) {
            throw new IllegalStateException("lead channels carry one signal per request: hub.lead-*.batch-size must be 1");
        }
        String id = items.get(0).id();
        LeadStore.Signal s = store.byIds(List.of(id)).get(id);
        if (s == null) {
            throw new IllegalStateException("lead signal " + id + " is not stored");
        }
        exchange.setProperty(HttpFailure.ITEM, id);
        return s;
    }
}
