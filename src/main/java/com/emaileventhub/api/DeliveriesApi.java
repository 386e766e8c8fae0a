package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /api/deliveries?destination=&status=dead&limit=&cursor= (items of one destination's queue, oldest
 * queued first, with the canonical event) and POST /api/deliveries/replay?destination=&since=&until=&status=
 * (dead items, or delivered ones with status=delivered|all, queued in [since, until), back to pending).
 */
public final class DeliveriesApi {
    private static final Set<String> STATUSES = Set.of(DeliveryQueue.PENDING, DeliveryQueue.DELIVERED, DeliveryQueue.DEAD);

    private final DeliveryQueue queue;
    private final Clock clock;

    public DeliveriesApi(DeliveryQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    public void list(Exchange exchange) {
        Message m = exchange.getMessage();
        String destination = destination(m);
        String status = Params.text(m, "status");
        if (status == null) {
            status = DeliveryQueue.DEAD;
        } else if (!STATUSES.contains(status)) {
            throw new ApiError(400, "parameter status: must be dead, pending or delivered");
        }
        int limit = Params.limit(m);
        DeliveryQueue.Page page;
        try {
            page = queue.list(destination, status, limit, Params.text(m, "cursor"));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "parameter cursor: not a cursor returned by this API");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("destination", destination);
        body.put("status", status);
        ArrayNode items = body.putArray("deliveries");
        for (DeliveryQueue.Item item : page.items()) {
            ObjectNode n = items.addObject();
            n.put("event_id", item.eventId());
            n.put("status", item.status());
            n.put("attempts", item.attempts());
            n.put("error", item.lastError());
            n.put("queued_at", Timestamps.format(Instant.ofEpochMilli(item.createdAt())));
            n.put("updated_at", Timestamps.format(Instant.ofEpochMilli(item.updatedAt())));
            n.set("event", item.body() == null ? null : readTree(item.body()));
        }
        body.put("next_cursor", page.nextCursor());
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    public void replay(Exchange exchange) {
        Message m = exchange.getMessage();
        String destination = destination(m);
        String status = Params.text(m, "status");
        List<String> statuses;
        if (status == null || status.equals(DeliveryQueue.DEAD)) {
            statuses = List.of(DeliveryQueue.DEAD);
        } else if (status.equals(DeliveryQueue.DELIVERED)) {
            statuses = List.of(DeliveryQueue.DELIVERED);
        } else if (status.equals("all")) {
            statuses = List.of(DeliveryQueue.DEAD, DeliveryQueue.DELIVERED);
        } else {
            throw new ApiError(400, "parameter status: must be dead, delivered or all");
        }
        long since = time(m, "since", Long.MIN_VALUE);
        long until = time(m, "until", Long.MAX_VALUE);
        if (since >= until) {
            throw new ApiError(400, "parameter until: must be later than since");
        }
        int n = queue.replay(destination, statuses, since, until, clock.millis());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("destination", destination);
        body.put("requeued", n);
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    private static String destination(Message m) {
        String d = Params.text(m, "destination");
        if (d == null) {
            throw new ApiError(400, "parameter destination: required");
        }
        if (!d.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new ApiError(400, "parameter destination: not a destination name");
        }
        return d;
    }

    private static long time(Message m, String name, long absent) {
        Long t = Params.time(m, name);
        return t == null ? absent : t;
    }


    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(json);
        }
    }
}
