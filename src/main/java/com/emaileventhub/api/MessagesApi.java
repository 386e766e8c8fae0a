package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.event.Sends;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.InsightCounts;
import com.emaileventhub.store.InsightDetails;
import com.emaileventhub.store.InsightQuery;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** GET /api/messages/{id}: the sends of one message id, each with its furthest state. */
public final class MessagesApi {
    /** Status by precedence, highest first: a late older event never moves a send back. */
    private static final List<Map.Entry<Integer, String>> STATUS = List.of(
            Map.entry(InsightCounts.COMPLAINED, "complained"),
            Map.entry(InsightCounts.UNSUBSCRIBED, "unsubscribed"),
            Map.entry(InsightCounts.HARD, "bounced"),
            Map.entry(InsightCounts.REJECTED, "rejected"),
            Map.entry(InsightCounts.CLICKED, "clicked"),
            Map.entry(InsightCounts.OPENED, "opened"),
            Map.entry(InsightCounts.DELIVERED, "delivered"),
            Map.entry(InsightCounts.AUTORESPONDED, "autoresponded"),
            Map.entry(InsightCounts.SOFT, "bounced"),
            Map.entry(InsightCounts.DEFERRED, "deferred"),
            Map.entry(InsightCounts.SENT, "sent"),
            Map.entry(InsightCounts.QUEUED, "queued"));

    private final InsightDetails details;

    public MessagesApi(InsightQuery query) {
        this.details = new InsightDetails(query);
    }

    public void message(Exchange exchange) {
        String id = Params.text(exchange.getMessage(), "message_id");
        if (id == null) {
            throw new ApiError(400, "path parameter message_id is missing");
        }
        String key = id;
        List<InsightDetails.Send> sends = details.sends(id, null);
        if (sends.isEmpty() && id.indexOf('.') >= 0) {
            // a full sg_message_id: its prefix is the send key SendGrid's X-Message-Id gave the sender
            key = Sends.sendKey(Sends.SENDGRID, id);
            sends = details.sends(key, Sends.SENDGRID);
        }
        if (sends.isEmpty()) {
            throw new ApiError(404, "no event has message id " + id);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("message_id", key);
        ArrayNode list = root.putArray("sends");
        for (InsightDetails.Send s : sends) {
            int f = s.flags();
            ObjectNode o = list.addObject();
            o.put("esp", s.esp());
            o.put("recipient", s.recipient());
            o.put("status", status(f));
            o.put("sent_at", time(s.sentAt()));
            o.put("delivered_at", s.deliveredAt() == null ? null : time(s.deliveredAt()));
            o.put("opened", (f & (InsightCounts.OPENED | InsightCounts.CLICKED)) != 0);
            o.put("clicked", (f & InsightCounts.CLICKED) != 0);
            o.put("last_event_at", time(s.lastEventAt()));
        }
        HttpAnswer.respond(exchange, 200, root.toString());
    }

    static String status(int flags) {
        for (Map.Entry<Integer, String> s : STATUS) {
            if ((flags & s.getKey()) != 0) {
                return s.getValue();
            }
        }
        return "unknown";
    }

    private static String time(long at) {
        return Timestamps.format(Instant.ofEpochMilli(at));
    }
}
