package com.emaileventhub.destination;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The doCatch of a destination that POSTs one item per request: the HTTP status becomes the delivery
 * contract's outcome. 401/403 a configuration error (kept queued), 408/429/5xx retried (Retry-After
 * honoured), any other 4xx refused for good.
 */
public final class HttpFailure {
    /** Exchange property naming the one item the request carries. */
    public static final String ITEM = "hub.http.item";

    private HttpFailure() {
    }

    /** @param endpoint how the operator knows the endpoint (its configuration key) */
    public static void classify(Exchange exchange, String endpoint) {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        int status = failure.getStatusCode();
        if (status == 401 || status == 403) {
            throw new DestinationConfigurationException(endpoint + " answered " + status);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            String id = exchange.getProperty(ITEM, String.class);
            exchange.setProperty(Delivery.FAILED, Map.of(id, endpoint + " answered " + status));
            return;
        }
        Duration retryAfter = retryAfter(failure.getResponseHeaders());
        if (retryAfter != null) {
            exchange.setProperty(Delivery.RETRY_AFTER, retryAfter);
        }
        throw new IllegalStateException(endpoint + " answered " + status);
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    private static Duration retryAfter(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        String value = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase("Retry-After")) {
                value = h.getValue();
            }
        }
        return RetryAfter.parse(value, Instant.now());
    }
}
