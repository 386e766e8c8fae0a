package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.InactiveRecipients;
import com.emaileventhub.store.LeadStore;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/** GET /api/leads (engaged leads, newest first) and GET /api/recipients/inactive (re-engagement audience). */
public final class LeadsApi {
    private final LeadStore leads;
    private final InactiveRecipients inactive;
    private final Clock clock;

    public LeadsApi(LeadStore leads, InactiveRecipients inactive, Clock clock) {
        this.leads = leads;
        this.inactive = inactive;
        this.clock = clock;
    }

    public void leads(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("since", "limit", "cursor"));
        long since = Params.since(q.single("since"), "since", clock.millis(), 0);
        int limit = Params.limit(exchange.getMessage());
        String cursor = q.single("cursor");
        Long beforeAt = null;
        String beforeId = null;
        if (cursor != null) {
            int dot = cursor.indexOf('.');
            try {
                beforeAt = Long.parseLong(cursor.substring(0, dot));
                beforeId = cursor.substring(dot + 1);
            } catch (RuntimeException e) {
                throw new ApiError(400, "parameter cursor: not a cursor returned by this API");
            }
        }
        List<LeadStore.Signal> page = leads.list(since, beforeAt, beforeId, limit + 1);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode out = body.putArray("leads");
        for (LeadStore.Signal s : page.subList(0, Math.min(limit, page.size()))) {
            ObjectNode l = out.addObject();
            l.put("recipient", s.recipient());
            l.put("score", s.score());
            l.put("clicks", s.clicks());
            l.put("opens", s.opens());
            ArrayNode links = l.putArray("links");
            s.links().forEach(links::add);
            l.put("engaged_at", Timestamps.format(Instant.ofEpochMilli(s.createdAt())));
        }
        LeadStore.Signal last = page.size() > limit ? page.get(limit - 1) : null;
        body.put("next_cursor", last == null ? null : last.createdAt() + "." + last.id());
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    public void inactive(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("since", "limit", "cursor"));
        String given = q.single("since");
        long since = Params.since(given == null ? "P90D" : given, "since", clock.millis(), 0);
        int limit = Params.limit(exchange.getMessage());
        String cursor = q.single("cursor");
        List<InactiveRecipients.Recipient> page = inactive.page(since, cursor == null ? "" : cursor, limit + 1);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode out = body.putArray("recipients");
        for (InactiveRecipients.Recipient r : page.subList(0, Math.min(limit, page.size()))) {
            ObjectNode o = out.addObject();
            o.put("recipient", r.email());
            o.put("delivered", r.delivered());
            o.put("last_delivered_at", Timestamps.format(Instant.ofEpochMilli(r.lastDeliveredAt())));
        }
        body.put("next_cursor", page.size() > limit ? page.get(limit - 1).email() : null);
        HttpAnswer.respond(exchange, 200, body.toString());
    }
}
