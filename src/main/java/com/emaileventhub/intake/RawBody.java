package com.emaileventhub.intake;

import com.emaileventhub.webhook.WebhookRejection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;

/**
 * The exact bytes of a webhook request. The webhook routes use useBodyHandler=false (Camel would decode a
 * form or multipart post and lose the signed bytes), so the paused Vert.x request is read here, with the
 * same size limit the server applies elsewhere. A route left with the body handler already holds the bytes.
 */
final class RawBody {
    private static final long READ_TIMEOUT_SECONDS = 30;

    private RawBody() {
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mt = contentType.trim().toLowerCase(Locale.ROOT);
        return mt.startsWith("multipart/") || mt.startsWith("application/x-www-form-urlencoded");
    }

    static byte[] read(Exchange exchange, long maxBytes) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof HttpServerRequest request)) {
            if (body instanceof Map<?, ?> || isForm(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class))) {
                // Camel has decoded a form into fields (or a map's text): the bytes the vendor signed are gone, and
                // no route with the default body handler takes forms. Without this, "{}" reached the normalizer.
                throw WebhookRejection.unsupportedMediaType("form and multipart posts are not accepted on this route; "
                        + "the vendor posts JSON");
            }
            byte[] bytes = exchange.getMessage().getBody(byte[].class);
            return bytes == null ? new byte[0] : bytes;
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBytes) {
                    // as Vert.x's body handler does: the rest is read and dropped, so that the client, still
                    // sending, gets to read the 413 (a paused request would stall it until its time-out)
                    request.handler(chunk -> { });
                    request.resume();
                    throw WebhookRejection.tooLarge("body is larger than " + maxBytes + " bytes");
                }
            } catch (NumberFormatException e) {
                throw WebhookRejection.badRequest("Content-Length is not a number");
            }
        }
        // accumulate chunk by chunk so that a body without Content-Length (chunked) is cut off at the limit too
        CompletableFuture<Buffer> future = new CompletableFuture<>();
        Buffer received = Buffer.buffer();
        request.handler(chunk -> {
            if (future.isDone()) {
                return;
            }
            if (received.length() + chunk.length() > maxBytes) {
                future.completeExceptionally(WebhookRejection.tooLarge("body is larger than " + maxBytes + " bytes"));
                return;
            }
            received.appendBuffer(chunk);
        });
        request.exceptionHandler(future::completeExceptionally);
        request.endHandler(v -> future.complete(received));
        request.resume();
        try {
            return future.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).getBytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WebhookRejection.badRequest("request body could not be read");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebhookRejection r) {
                throw r;
            }
            throw WebhookRejection.badRequest("request body could not be read");
        } catch (TimeoutException e) {
            throw WebhookRejection.badRequest("request body could not be read");
        }
    }
}
