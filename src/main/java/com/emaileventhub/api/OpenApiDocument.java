package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.openapi.RestOpenApiProcessor;
import org.apache.camel.spi.RestConfiguration;

/**
 * GET /api/openapi.json: the OpenAPI document camel-openapi-java generates from the REST DSL of
 * routes/api.camel.yaml, with title, version and description from camel.rest.apiProperties. Served by a
 * route of our own rather than camel.rest.apiContextPath, whose generated route copies every message
 * header (the request's Authorization header, or any header named in the query string) into the response;
 * here the answer carries the document and Content-Type only.
 */
public final class OpenApiDocument implements CamelContextAware {
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
        HttpAnswer.respond(exchange, 200, document.toString());
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
}
