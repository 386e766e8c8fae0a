package com.emaileventhub.api;

import com.emaileventhub.destination.alert.AlertLifecycle;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.apache.camel.Exchange;

/** GET /api/alerts?status=firing|resolved|all&limit=: alert objects of the contract, newest first. */
public final class AlertsApi {
    private final AlertStore store;

    public AlertsApi(AlertStore store) {
        this.store = store;
    }

    public void list(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("status", "limit"));
        String status = q.single("status");
        if (status == null || status.equals("all")) {
            status = null;
        } else if (!status.equals(AlertStore.FIRING) && !status.equals(AlertStore.RESOLVED)) {
            throw new ApiError(400, "parameter status: must be firing, resolved or all");
        }
        int limit = Params.limit(exchange.getMessage());
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode alerts = body.putArray("alerts");
        store.list(status, limit).forEach(a -> alerts.add(AlertLifecycle.json(a)));
        HttpAnswer.respond(exchange, 200, body.toString());
    }
}
