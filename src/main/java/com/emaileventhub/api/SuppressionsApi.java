package com.emaileventhub.api;

import com.emaileventhub.destination.suppression.SuppressionRules;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /api/suppressions/{email}, GET /api/suppressions?limit=&cursor=, and
 * DELETE /api/suppressions/{email}?actor=&note= (lift, written to the audit trail).
 */
public final class SuppressionsApi {
    private final SuppressionStore store;
    private final SuppressionRules rules;

    public SuppressionsApi(SuppressionStore store, SuppressionRules rules) {
        this.store = store;
        this.rules = rules;
    }

    public void get(Exchange exchange) {
        String email = email(exchange.getMessage());
        SuppressionStore.Suppression s = store.get(email);
        if (s == null) {
            throw new ApiError(404, email + " is not suppressed");
        }
        HttpAnswer.respond(exchange, 200, json(s).toString());
    }

    public void list(Exchange exchange) {
        Message m = exchange.getMessage();
        int limit = Params.limit(m);
        SuppressionStore.Page page;
        try {
            page = store.list(limit, Params.text(m, "cursor"));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "parameter cursor: not a cursor returned by this API");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("suppressions");
        page.items().forEach(s -> items.add(json(s)));
        body.put("next_cursor", page.nextCursor());
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    public void lift(Exchange exchange) {
        Message m = exchange.getMessage();
        String email = email(m);
        String actor = Params.text(m, "actor");
        String note = Params.text(m, "note");
        if (!rules.lift(email, actor == null ? "api" : "api:" + actor, note)) {
            throw new ApiError(404, email + " is not suppressed");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", email);
        body.put("lifted", true);
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    private static String email(Message m) {
        String raw = Params.text(m, "email");
        if (raw != null && raw.indexOf('%') >= 0) {
            // still percent-encoded (user%2Btag%40example.com); '+' is a literal in a path, not a space
            raw = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        String email = raw == null ? null : Recipients.normalize(raw);
        if (email == null || email.isBlank() || email.length() > 512) {
            throw new ApiError(400, "path parameter email: not an email address");
        }
        return email;
    }

    static ObjectNode json(SuppressionStore.Suppression s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("email", s.email());
        n.put("reason", s.reason());
        n.put("esp", s.esp());
        n.put("first_at", Timestamps.format(Instant.ofEpochMilli(s.firstAt())));
        n.put("last_at", Timestamps.format(Instant.ofEpochMilli(s.lastAt())));
        n.put("event_id", s.eventId());
        return n;
    }
}
