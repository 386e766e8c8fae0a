package com.emaileventhub.api;

import com.emaileventhub.destination.suppression.SuppressionRules;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.event.Timestamps;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /api/suppressions/{email}, GET /api/suppressions?limit=&cursor=, POST /api/suppressions (add by hand,
 * audited), DELETE /api/suppressions/{email}?actor=&note= (lift, audited) and
 * GET /api/suppressions/{email}/audit (the trail, newest first).
 */
public final class SuppressionsApi {
    /** Something@something, no spaces or angle brackets: an address, not a display name or a list. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;]+@[^@\\s<>,;]+");

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
        if (!rules.lift(email, actor(actor), note)) {
            throw new ApiError(404, email + " is not suppressed");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", email);
        body.put("lifted", true);
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    /** POST /api/suppressions with {"email", "reason" (default manual), "note", "actor"}; actor also as a parameter. */
    public void add(Exchange exchange) {
        Message m = exchange.getMessage();
        JsonNode body;
        try {
            String text = m.getBody(String.class);
            body = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new ApiError(400, "body: not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "body: must be a JSON object with field email");
        }
        String raw = field(body, "email", 512);
        String email = raw == null ? null : Recipients.normalize(raw);
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw new ApiError(400, "field email: " + (raw == null ? "required" : "not an email address"));
        }
        String reason = field(body, "reason", 32);
        if (reason == null) {
            reason = SuppressionRules.MANUAL;
        } else if (!SuppressionRules.REASONS.contains(reason)) {
            throw new ApiError(400, "field reason: must be one of " + new TreeSet<>(SuppressionRules.REASONS));
        }
        String note = field(body, "note", 2000);
        String actor = Params.text(m, "actor");
        if (actor == null) {
            actor = field(body, "actor", 200);
        } else if (actor.length() > 200) {
            throw new ApiError(400, "parameter actor: longer than 200 characters");
        }
        SuppressionStore.Suppression s = rules.add(email, reason, actor(actor), note);
        if (s == null) {
            SuppressionStore.Suppression existing = store.get(email);
            throw new ApiError(409, email + " is already suppressed"
                    + (existing == null ? "" : " (reason " + existing.reason() + ")"));
        }
        HttpAnswer.respond(exchange, 201, json(s).toString());
    }

    /** GET /api/suppressions/{email}/audit: every suppress and lift of the address, newest first. */
    public void audit(Exchange exchange) {
        String email = email(exchange.getMessage());
        List<SuppressionStore.AuditEntry> entries = new ArrayList<>(store.audit(email));
        if (entries.isEmpty()) {
            throw new ApiError(404, email + " has never been suppressed");
        }
        Collections.reverse(entries);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("email", email);
        body.put("suppressed", store.get(email) != null);
        ArrayNode items = body.putArray("audit");
        for (SuppressionStore.AuditEntry a : entries) {
            ObjectNode n = items.addObject();
            n.put("action", a.action());
            n.put("reason", a.reason());
            n.put("at", Timestamps.format(Instant.ofEpochMilli(a.at())));
            n.put("actor", a.actor());
            n.put("note", a.note());
            n.put("event_id", a.eventId());
        }
        HttpAnswer.respond(exchange, 200, body.toString());
    }

    private static String actor(String actor) {
        return actor == null ? "api" : "api:" + actor;
    }

    /** A string field of the body, trimmed, null when absent or blank; 400 naming it when not a string or too long. */
    private static String field(JsonNode body, String name, int max) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiError(400, "field " + name + ": must be a string");
        }
        String s = v.asText().trim();
        if (s.length() > max) {
            throw new ApiError(400, "field " + name + ": longer than " + max + " characters");
        }
        return s.isEmpty() ? null : s;
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
