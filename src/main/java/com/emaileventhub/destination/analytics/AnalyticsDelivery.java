package com.emaileventhub.destination.analytics;

import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.DestinationConfigurationException;
import com.emaileventhub.destination.RetryAfter;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.telemetry.HubMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java half of routes/destinations/analytics.camel.yaml: maps and chunks a batch, then reads
 * each answer of the import API (Mixpanel /import?strict=1 semantics). The route does the HTTP.
 *
 * <p>200 delivered; 400 partial (only {@code failed_records} are dead-lettered); 413 halve and
 * resend, a lone event that is still too large is dead-lettered; 401/403 configuration error;
 * 429/5xx back off, honouring Retry-After: an exception when nothing was settled yet, else the
 * unsent rest goes to the retry list so accepted chunks are not sent twice.
 */
public final class AnalyticsDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsDelivery.class);
    private static final int MAX_ERROR_CHARS = 500;

    private final AnalyticsEventMapper mapper;
    private final HubMetrics metrics;
    private final Clock clock;
    private final int batchSize;
    private final long maxBatchBytes;

    public AnalyticsDelivery(AnalyticsSettings settings, HubMetrics metrics, Clock clock) {
        this.mapper = new AnalyticsEventMapper(settings);
        this.metrics = metrics;
        this.clock = clock;
        this.batchSize = settings.batchSize();
        this.maxBatchBytes = settings.maxBatchBytes();
    }

    /** Body List&lt;CanonicalEvent&gt; → exchange property {@value AnalyticsBatch#PROPERTY}. */
    @SuppressWarnings("unchecked")
    public void plan(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        List<AnalyticsBatch.Item> items = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            try {
                items.add(new AnalyticsBatch.Item(e, Json.MAPPER.writeValueAsBytes(mapper.map(e))));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("analytics event not serialisable: " + e.id(), ex);
            }
        }
        exchange.setProperty(AnalyticsBatch.PROPERTY, new AnalyticsBatch(items, batchSize, maxBatchBytes));
    }

    /** Sets the body to the next chunk's JSON array. */
    public void next(Exchange exchange) {
        exchange.getMessage().setBody(batch(exchange).next());
    }

    /** Reads the import API's answer to the chunk in flight. */
    public void outcome(Exchange exchange) {
        AnalyticsBatch batch = batch(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        List<AnalyticsBatch.Item> chunk = batch.current();
        metrics.counter("hub_analytics_requests", "status", Integer.toString(status)).increment();
        if (status >= 200 && status < 300) {
            batch.currentDelivered(chunk.size());
        } else if (status == 400) {
            partial(batch, chunk, body);
        } else if (status == 413) {
            if (!batch.splitCurrent()) {
                batch.fail(chunk.get(0).event().id(), "HTTP 413: event larger than the import API accepts");
            }
        } else if (status == 401 || status == 403) {
            throw new DestinationConfigurationException("analytics import API refused the credentials (HTTP " + status
                    + "): check hub.analytics.username / password / project-id");
        } else {
            Duration retryAfter = RetryAfter.parse(exchange.getMessage().getHeader("Retry-After"), clock.instant());
            if (retryAfter != null) {
                exchange.setProperty(Delivery.RETRY_AFTER, retryAfter);
            }
            String error = "HTTP " + status + ": " + errorText(body);
            if (!batch.anyDelivered()) {
                throw new AnalyticsUnavailableException("analytics import API answered " + error);
            }
            int n = batch.retryRest(error);
            LOG.warn("analytics import API answered {}; {} events of the batch will be retried", error, n);
        }
    }

    /** Puts the refused and retried ids on the exchange for the delivery engine; body back to the batch. */
    public void finish(Exchange exchange) {
        AnalyticsBatch batch = batch(exchange);
        Delivery.addOutcomes(exchange, Delivery.FAILED, batch.failed());
        Delivery.addOutcomes(exchange, Delivery.RETRY, batch.retry());
        metrics.counter("hub_analytics_events", "outcome", "delivered").increment(batch.delivered());
        metrics.counter("hub_analytics_events", "outcome", "failed").increment(batch.failed().size());
        metrics.counter("hub_analytics_events", "outcome", "retry").increment(batch.retry().size());
        if (!batch.failed().isEmpty()) {
            LOG.warn("analytics import API refused {} events for good (first: {})", batch.failed().size(),
                    batch.failed().values().iterator().next());
        }
        exchange.removeProperty(AnalyticsBatch.PROPERTY);
    }

    private void partial(AnalyticsBatch batch, List<AnalyticsBatch.Item> chunk, String body) {
        JsonNode records = null;
        try {
            JsonNode root = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            records = root == null ? null : root.get("failed_records");
        } catch (JsonProcessingException notJson) {
            // handled below: a 400 we cannot read refuses the whole chunk
        }
        if (records == null || !records.isArray() || records.isEmpty()) {
            // strict mode names the bad events; a 400 without them is a malformed request, resending cannot help
            String error = "HTTP 400: " + errorText(body);
            chunk.forEach(item -> batch.fail(item.event().id(), error));
            return;
        }
        Map<String, AnalyticsBatch.Item> byId = new HashMap<>();
        chunk.forEach(item -> byId.put(item.event().id(), item));
        Map<String, String> refused = new LinkedHashMap<>();
        for (JsonNode r : records) {
            // the spec's example says "$insert_id", its schema "insert_id": accept both, else the index
            String id = Json.text(r, "$insert_id");
            if (id == null) {
                id = Json.text(r, "insert_id");
            }
            if (id == null || !byId.containsKey(id)) {
                int index = r.path("index").asInt(-1);
                id = index >= 0 && index < chunk.size() ? chunk.get(index).event().id() : null;
            }
            if (id != null) {
                String field = Json.text(r, "field");
                String message = Json.text(r, "message");
                refused.put(id, truncate("HTTP 400: " + (field == null ? "" : field + ": ") + (message == null ? "rejected" : message)));
            }
        }
        refused.forEach(batch::fail);
        batch.currentDelivered(chunk.size() - refused.size());
    }


    private static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            String error = Json.text(Json.MAPPER.readTree(body), "error");
            if (error != null) {
                return truncate(error);
            }
        } catch (JsonProcessingException notJson) {
            // fall through: quote the start of the body
        }
        return truncate(body.strip());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private static AnalyticsBatch batch(Exchange exchange) {
        return exchange.getProperty(AnalyticsBatch.PROPERTY, AnalyticsBatch.class);
    }
}
