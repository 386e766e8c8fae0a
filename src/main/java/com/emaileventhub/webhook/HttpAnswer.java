package com.emaileventhub.webhook;

import org.apache.camel.Exchange;

/** The one way the hub answers an HTTP request from a route: a status and a JSON body, and no request header echoed. */
public final class HttpAnswer {
    private HttpAnswer() {
    }

    /** Request headers are never echoed: the response carries only what is set here. */
    public static void respond(Exchange exchange, int status, String json) {
        var msg = exchange.getMessage();
        msg.getHeaders().clear();
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(json);
    }
}
