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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /api/deliveries?destination=&status=dead&limit=&cursor= (items of one destination's queue, oldest
 * queued first, with the canonical event and the failed attempts), POST /api/deliveries/replay?destination=
 * &since=&until=&occurred_since=&occurred_until=&event_id=&status= (dead items, or delivered ones with
 * status=delivered|all, back to pending) and POST /api/deliveries/backfill?destination=&since=&until= (journal
 * events the destination never had, queued for it).
 */
public final class DeliveriesApi {
    /** At most this many recorded attempts per item, the latest. */
    static final int HISTORY = 20;
    private static final Set<String> STATUSES = Set.of(DeliveryQueue.PENDING, DeliveryQueue.DELIVERED, DeliveryQueue.DEAD);

    private final DeliveryQueue queue;
    private final Clock clock;
    private final Supplier<? extends Collection<String>> destinations;
    private final Set<String> journalFed;
    private final Set<String> routed;

    /**
     * @param destinations the destinations of this hub (their delivery routes), asked at each replay or
     *                     backfill, so destinations are known once the routes have started
     * @param journalFed   destinations that follow the journal with a cursor: every event reaches them, none is
     *                     backfilled (it would count twice)
     * @param routed       destinations that follow the journal with a cursor, taking the events routed to them; a
     *                     replay of what they delivered queues the events their cursor passed again (both are
     *                     idempotent on the event id)
     */
    public DeliveriesApi(DeliveryQueue queue, Clock clock, Supplier<? extends Collection<String>> destinations,
                         Set<String> journalFed, Set<String> routed) {
        this.queue = queue;
        this.clock = clock;
        this.destinations = destinations;
        this.journalFed = Set.copyOf(journalFed);
        this.routed = Set.copyOf(routed);
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
        Map<String, List<DeliveryQueue.Attempt>> history = queue.attempts(destination,
                page.items().stream().map(DeliveryQueue.Item::eventId).toList(), HISTORY);
        for (DeliveryQueue.Item item : page.items()) {
            ObjectNode n = items.addObject();
            n.put("event_id", item.eventId());
            n.put("status", item.status());
            n.put("attempts", item.attempts());
            n.put("error", item.lastError());
            n.put("queued_at", Timestamps.format(Instant.ofEpochMilli(item.createdAt())));
            n.put("updated_at", Timestamps.format(Instant.ofEpochMilli(item.updatedAt())));
            ArrayNode h = n.putArray("history");
            for (DeliveryQueue.Attempt a : history.getOrDefault(item.eventId(), List.of())) {
                ObjectNode an = h.addObject();
                an.put("attempt", a.attempt());
                an.put("at", Timestamps.format(Instant.ofEpochMilli(a.at())));
                an.put("status", a.status());
                an.put("error", a.error());
            }
            n.set("event", item.body() == null ? null : readTree(item.body()));
        }
        body.put("next_cursor", page.nextCursor());
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    public void replay(Exchange exchange) {
        Message m = exchange.getMessage();
        String destination = known(destination(m));
        String eventId = Params.text(m, "event_id");
        if (eventId != null && !eventId.matches("[0-9a-f]{32}")) {
            throw new ApiError(400, "parameter event_id: not an event id (32 hex digits)");
        }
        String status = Params.text(m, "status");
        List<String> statuses;
        if (status == null) {
            // one event by id is replayed whatever it became; a range only takes the dead ones by default
            statuses = eventId == null ? List.of(DeliveryQueue.DEAD) : List.of(DeliveryQueue.DEAD, DeliveryQueue.DELIVERED);
        } else if (status.equals(DeliveryQueue.DEAD)) {
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
        Long occurredSince = Params.time(m, "occurred_since");
        Long occurredUntil = Params.time(m, "occurred_until");
        if (occurredSince != null && occurredUntil != null && occurredSince >= occurredUntil) {
            throw new ApiError(400, "parameter occurred_until: must be later than occurred_since");
        }
        DeliveryQueue.ReplayFilter filter = new DeliveryQueue.ReplayFilter(since, until, occurredSince, occurredUntil, eventId);
        int n = queue.replay(destination, statuses, filter, clock.millis());
        if (statuses.contains(DeliveryQueue.DELIVERED) && routed.contains(destination)) {
            // what its cursor delivered has no outbox item: queued again from the journal (received in [since, until)).
            // Not for the insight figures: their cursor keeps no record of the ids it counted, the outbox path does
            // (insight_applied), so an event counted by the cursor would count twice
            n += queue.replayPassed(destination, filter, clock.millis());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("destination", destination);
        body.put("requeued", n);
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    /**
     * POST /api/deliveries/backfill?destination=&since=&until=: queues the journal's events received in
     * [since, until) that have no item of the destination yet; idempotent.
     */
    public void backfill(Exchange exchange) {
        Message m = exchange.getMessage();
        String destination = known(destination(m));
        if (journalFed.contains(destination)) {
            throw new ApiError(400, "parameter destination: " + destination + " follows the journal and has every "
                    + "stored event already; nothing to backfill");
        }
        Long since = Params.time(m, "since");
        if (since == null) {
            throw new ApiError(400, "parameter since: required (the journal time of the first event to queue)");
        }
        long until = time(m, "until", Long.MAX_VALUE);
        if (since >= until) {
            throw new ApiError(400, "parameter until: must be later than since");
        }
        int n = queue.backfill(destination, since, until, clock.millis());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("destination", destination);
        body.put("queued", n);
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    /** 404 naming a destination that has no delivery route in this hub. */
    private String known(String destination) {
        Collection<String> names = destinations.get();
        if (!names.contains(destination)) {
            throw new ApiError(404, "unknown destination " + destination + "; this hub has " + new TreeSet<>(names));
        }
        return destination;
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
