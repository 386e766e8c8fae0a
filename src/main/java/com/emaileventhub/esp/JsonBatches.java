package com.emaileventhub.esp;

import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a JSON body for vendors that post either one event object or, when batching is
 * switched on, an array of them (Brevo, Mailjet). {@code []} and {@code {}} carry no events (test posts
 * and pings); an empty body, or anything that is neither an object nor an array, is a 400.
 */
public final class JsonBatches {
    private JsonBatches() {
    }

    public static List<JsonNode> objectOrArray(WebhookRequest request) {
        JsonNode root = request.json();
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(events::add);
        } else if (root.isObject()) {
            if (!root.isEmpty()) {
                events.add(root);
            }
        } else {
            throw WebhookRejection.badRequest("$: expected a JSON object or an array of event objects");
        }
        return events;
    }
}
