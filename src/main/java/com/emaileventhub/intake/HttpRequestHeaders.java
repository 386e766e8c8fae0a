package com.emaileventhub.intake;

import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The headers the client really sent, read from the Vert.x request behind the exchange. platform-http also
 * copies query parameters into the Camel message headers, so credentials read from those could come from
 * the URL (and end up in access logs); authentication and signatures use this view only.
 */
public final class HttpRequestHeaders {
    private HttpRequestHeaders() {
    }

    /** Header name to value; a header sent more than once is left out, as ambiguous credentials are none. */
    public static Map<String, String> of(Exchange exchange) {
        Map<String, String> headers = new HashMap<>();
        HttpServerRequest request = request(exchange);
        if (request == null) {
            return headers;
        }
        for (String name : request.headers().names()) {
            var values = request.headers().getAll(name);
            if (values.size() == 1) {
                headers.put(name, values.get(0));
            }
        }
        return headers;
    }

    /** One header as sent, or null when absent or sent more than once. */
    public static String get(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        if (request == null) {
            return null;
        }
        var values = request.headers().getAll(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    /** The request's HTTP method (GET, POST, ...), or null outside an HTTP exchange. */
    public static String method(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        return request == null ? null : request.method().name();
    }

    private static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage http ? http.getRequest() : null;
    }
}
