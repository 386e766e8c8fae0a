package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.intake.Intake;
import com.emaileventhub.intake.WebhookRoutes;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.openapi.RestOpenApiProcessor;
import org.apache.camel.spi.RestConfiguration;

/**
 * GET /api/openapi.json: one OpenAPI 3.1 document of every endpoint the running hub serves. The /api operations
 * are what camel-openapi-java generates from the REST DSL of routes/api.camel.yaml (openapi.version, title,
 * version and description from camel.rest.apiProperties); /observe, the dashboard and the shared answers come
 * from openapi/hub.json; and each running webhook route (built-in or declared in YAML, a vendor switched off
 * left out) gets its path with the security schemes of its contract ({@link WebhookPaths}).
 * Served by a route of our own rather than camel.rest.apiContextPath, whose generated route copies every message
 * header (the request's Authorization header, or any header named in the query string) into the response;
 * here the answer carries the document and Content-Type only.
 */
public final class OpenApiDocument implements CamelContextAware {
    private static final String FRAGMENT = "openapi/hub.json";
    private final ObjectNode fragment = load();
    private CamelContext context;
    private RestOpenApiProcessor processor;

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    public void serve(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_PATH, "openapi.json");
        m.setHeader("Accept", "application/json");
        processor().process(exchange);
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        // paths are relative to wherever the client reached this document (behind a proxy the hub knows no host)
        document.putArray("servers").addObject().put("url", "/");
        merge(document);
        HttpAnswer.respond(exchange, 200, document.toString());
    }

    /** Adds what the REST DSL does not describe: the fragment's paths, tags and components, and the webhook paths. */
    private void merge(ObjectNode document) {
        ObjectNode paths = document.withObjectProperty("paths");
        fragment.get("paths").fields().forEachRemaining(p -> paths.set(p.getKey(), p.getValue().deepCopy()));
        ArrayNode files = ((ObjectNode) paths.at("/~1dashboard~1{file}/get/parameters/0/schema")).withArrayProperty("enum");
        DashboardAssets.files().forEach(files::add);
        ArrayNode tags = document.withArrayProperty("tags");
        fragment.get("tags").forEach(t -> tags.add(t.deepCopy()));
        ObjectNode components = document.withObjectProperty("components");
        for (String kind : new String[] {"schemas", "responses"}) {
            ObjectNode target = components.withObjectProperty(kind);
            fragment.get("components").get(kind).fields().forEachRemaining(c -> target.set(c.getKey(), c.getValue().deepCopy()));
        }
        Intake intake = context.getRegistry().lookupByNameAndType("intake", Intake.class);
        WebhookPaths.add(WebhookRoutes.running(context, intake::settings), (ObjectNode) fragment.get("webhook"), paths,
                components.withObjectProperty("securitySchemes"));
    }

    private synchronized RestOpenApiProcessor processor() {
        if (processor == null) {
            RestConfiguration configuration = context.getRestConfiguration();
            Map<String, Object> properties = configuration.getApiProperties() == null ? new HashMap<>()
                    : new HashMap<>(configuration.getApiProperties());
            RestOpenApiProcessor p = new RestOpenApiProcessor(properties, configuration);
            p.setCamelContext(context);
            p.start();
            processor = p;
        }
        return processor;
    }

    private static ObjectNode load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(FRAGMENT)) {
            if (in == null) {
                throw new IllegalStateException(FRAGMENT + " is missing from the class path");
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
