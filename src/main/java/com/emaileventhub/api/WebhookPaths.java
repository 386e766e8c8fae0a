package com.emaileventhub.api;

import com.emaileventhub.esp.WebhookContract;
import com.emaileventhub.esp.WebhookContract.Credential;
import com.emaileventhub.intake.WebhookRoutes.WebhookRoute;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAPI path item of one running webhook route: its methods from the route, the shared answers from the
 * template in openapi/hub.json, and from the route's contract the media types it reads and its security
 * schemes (one per credential, named webhook-VENDOR-...; a signature inside the body has none, the
 * description says it).
 */
final class WebhookPaths {
    private WebhookPaths() {
    }

    /** Adds the path of each route to paths, and its security schemes to schemes. */
    static void add(List<WebhookRoute> routes, ObjectNode template, ObjectNode paths, ObjectNode schemes) {
        for (WebhookRoute route : routes) {
            ObjectNode item = paths.putObject(route.path());
            for (String method : route.methods()) {
                String name = method.toLowerCase(Locale.ROOT);
                ObjectNode operation = template.has(name) ? template.get(name).deepCopy() : Json.MAPPER.createObjectNode();
                operation.put("operationId", "webhook-" + route.vendor() + ("post".equals(name) ? "" : "-" + name));
                if ("post".equals(name)) {
                    post(route, operation, schemes);
                }
                item.set(name, operation);
            }
        }
    }

    private static void post(WebhookRoute route, ObjectNode operation, ObjectNode schemes) {
        WebhookContract contract = route.contract();
        operation.put("summary", "Events from " + route.vendor());
        operation.put("description", "Authentication: " + contract.summary() + ". Credentials: "
                + String.join(" or ", contract.credentialKeys().stream().map(k -> "hub.esp." + route.vendor() + "." + k).toList())
                + " (docs/vendors/ has a page for each vendor the hub ships).");
        ObjectNode content = ((ObjectNode) operation.get("requestBody")).putObject("content");
        for (String mediaType : contract.mediaTypes()) {
            ObjectNode schema = content.putObject(mediaType).putObject("schema");
            if (mediaType.endsWith("json")) {
                // any JSON: a type list ["object", "array"] would say the same, but client generators (openapi-generator
                // 7.x) do not take multi-type schemas yet
                schema.put("description", "one event (an object) or a batch (an array), as the vendor posts it");
            } else {
                schema.put("type", "string");
            }
        }
        ArrayNode security = operation.putArray("security");
        for (List<Credential> alternative : contract.alternatives()) {
            ObjectNode requirement = security.addObject();
            for (Credential credential : alternative) {
                String name = schemeName(route.vendor(), credential);
                requirement.putArray(name);
                schemes.set(name, scheme(route.vendor(), credential, contract));
            }
        }
    }

    private static String schemeName(String vendor, Credential credential) {
        return "webhook-" + vendor + "-" + switch (credential.kind()) {
            case BASIC -> "basic";
            case BEARER -> "bearer";
            case HEADER -> credential.header().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
        };
    }

    private static ObjectNode scheme(String vendor, Credential credential, WebhookContract contract) {
        ObjectNode scheme = Json.MAPPER.createObjectNode();
        String keys = "hub.esp." + vendor + ".";
        switch (credential.kind()) {
            case BASIC -> scheme.put("type", "http").put("scheme", "basic")
                    .put("description", vendor + ": " + keys + "username / " + keys + "password");
            case BEARER -> scheme.put("type", "http").put("scheme", "bearer")
                    .put("description", vendor + ": " + keys + "token");
            case HEADER -> scheme.put("type", "apiKey").put("in", "header").put("name", credential.header())
                    .put("description", vendor + ": " + contract.summary());
        }
        return scheme;
    }
}
