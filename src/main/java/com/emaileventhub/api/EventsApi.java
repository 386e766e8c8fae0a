package com.emaileventhub.api;

import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.store.EventQuery;
import com.emaileventhub.store.StorageUnavailableException;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /api/events and GET /api/messages/{message_id}/events. */
public final class EventsApi {
    private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
    private final EventQuery query;

    public EventsApi(EventQuery query) {
        this.query = query;
    }

    public void search(Exchange exchange) {
        Message m = exchange.getMessage();
        String recipient = Params.text(m, "recipient");
        String type = Params.text(m, "type");
        if (type != null && EventType.fromWire(type) == null) {
            throw new ApiError(400, "parameter type: unknown event type '" + type + "'");
        }
        EventQuery.Filter filter = new EventQuery.Filter(Params.text(m, "message_id"),
                recipient == null ? null : Recipients.normalize(recipient), type, Params.text(m, "esp"),
                Params.time(m, "since"), Params.time(m, "until"));
        int limit = Params.limit(m);
        String cursor = Params.text(m, "cursor");
        EventQuery.Page page;
        try {
            page = query.search(filter, limit, cursor);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "parameter cursor: not a cursor returned by this API");
        }
        String next = page.nextCursor() == null ? "null" : Json.MAPPER.createObjectNode().textNode(page.nextCursor()).toString();
        HttpAnswer.respond(exchange, 200, "{\"events\":[" + String.join(",", page.events()) + "],\"next_cursor\":" + next + "}");
    }

    public void timeline(Exchange exchange) {
        String id = Params.text(exchange.getMessage(), "message_id");
        if (id == null) {
            throw new ApiError(400, "path parameter message_id is missing");
        }
        List<String> events = query.timeline(id);
        HttpAnswer.respond(exchange, 200, "{\"message_id\":" + Json.MAPPER.getNodeFactory().textNode(id)
                + ",\"events\":[" + String.join(",", events) + "]}");
    }

    /** Error handler of the API routes. */
    public void error(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        if (cause instanceof ApiError e) {
            status = e.status();
            message = e.getMessage();
        } else if (cause instanceof StorageUnavailableException) {
            status = 503;
            message = "storage is unavailable";
        } else {
            status = 500;
            message = "internal error";
            LOG.error("API call failed", cause);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", message);
        HttpAnswer.respond(exchange, status, body.toString());
    }



}
