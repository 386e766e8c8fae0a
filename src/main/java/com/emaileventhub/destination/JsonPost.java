package com.emaileventhub.destination;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The request of a destination that POSTs JSON: no header of the exchange travels along, only these. */
public final class JsonPost {
    private JsonPost() {
    }

    public static void prepare(Exchange exchange, String body) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body);
    }
}
