package com.emaileventhub.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON error answers written at the edge, before or instead of a Camel route. */
final class Answers {
    private Answers() {
    }

    /**
     * Writes {"error": message} unless something was answered already. When the request body was not
     * read (refused before it), the connection is closed after the answer: its unread bytes must not be
     * taken for the next request.
     */
    static boolean error(RoutingContext ctx, int status, String message, Long retryAfterSeconds) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            return false;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (retryAfterSeconds != null) {
            response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (!ctx.request().isEnded()) {
            response.putHeader("Connection", "close");
        }
        response.end(new JsonObject().put("error", message).encode());
        return true;
    }
}
