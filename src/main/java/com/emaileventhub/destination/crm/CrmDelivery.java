package com.emaileventhub.destination.crm;

import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.DestinationConfigurationException;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.telemetry.HubMetrics;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java half of routes/destinations/crm.camel.yaml (the route makes the camel-salesforce calls):
 * resolve each recipient to a Contact, else a Lead (batched SOQL, cached), coalesce the batch into
 * one update of absolute values per recipient (computed from the journal), and sort the
 * per-record answers of sObject Collections into delivered / retry / failed.
 */
public final class CrmDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(CrmDelivery.class);
    private static final String LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final List<String> objects;
    private final Map<String, String> filters;
    private final int lookupBatchSize;
    private final int lookupMaxChars;
    private final int updateBatchSize;
    private final Duration limitBackoff;
    private final Set<String> permanentErrors;
    private final Set<String> staleRecordErrors;
    private final RecordCache cache;
    private final JournalEngagement journal;
    private final CrmFields fields;
    private final HubMetrics metrics;
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong apiUsed = new AtomicLong(-1);
    private final AtomicLong apiLimit = new AtomicLong(-1);

    public CrmDelivery(CrmSettings settings, DataSource dataSource, HubMetrics metrics, Clock clock) {
        this.objects = settings.objects();
        this.filters = settings.filters();
        this.lookupBatchSize = settings.lookupBatchSize();
        this.lookupMaxChars = settings.lookupMaxChars();
        this.updateBatchSize = settings.updateBatchSize();
        this.limitBackoff = settings.limitBackoff();
        this.permanentErrors = settings.permanentErrors();
        this.staleRecordErrors = settings.staleRecordErrors();
        this.cache = new RecordCache(settings.cacheSize(), settings.cacheTtl(), settings.negativeCacheTtl(), clock);
        this.journal = new JournalEngagement(dataSource, settings.lastEventTypes());
        this.fields = new CrmFields(settings.fields());
        this.metrics = metrics;
        if (settings.enabled()) {
            // with the CRM off there is no allocation to report: no series rather than a made-up value
            usageGauge("hub_crm_api_usage_used", apiUsed, "Salesforce API calls used today (Sforce-Limit-Info)");
            usageGauge("hub_crm_api_usage_limit", apiLimit, "the org's daily Salesforce API allocation");
        }
    }

    /** NaN until Salesforce has answered with its usage: -1 would read as a value. */
    private void usageGauge(String name, AtomicLong value, String description) {
        Gauge.builder(name, value, v -> v.get() < 0 ? Double.NaN : v.get()).description(description)
                .register(metrics.registry());
    }

    /** Salesforce API calls made so far (queries and updates), for the benchmark and tests. */
    public long apiCalls() {
        return apiCalls.get();
    }

    /** Body List&lt;CanonicalEvent&gt; → exchange property {@value CrmBatch#PROPERTY}; cache hits need no query. */
    @SuppressWarnings("unchecked")
    public void begin(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        CrmBatch batch = new CrmBatch();
        for (CanonicalEvent e : events) {
            if (e.recipient() == null || e.recipient().isBlank()) {
                metrics.counter("hub_crm_recipients", "outcome", "no_recipient").increment();
                continue;   // nothing to find in the CRM: delivered as skipped
            }
            batch.eventIds.computeIfAbsent(e.recipient(), k -> new ArrayList<>()).add(e.id());
        }
        List<String> toResolve = new ArrayList<>();
        for (String recipient : batch.eventIds.keySet()) {
            RecordCache.Lookup hit = cache.get(recipient);
            metrics.counter("hub_crm_cache", "result", hit.known() ? "hit" : "miss").increment();
            if (!hit.known()) {
                toResolve.add(recipient);
            } else if (hit.ref() != null) {
                batch.resolved.put(recipient, hit.ref());
            } else {
                batch.unmatched.add(recipient);
            }
        }
        lookIn(batch, 0, toResolve);
        exchange.setProperty(CrmBatch.PROPERTY, batch);
    }

    /** Before each salesforce:query: the SOQL goes into the sObjectQuery header. */
    public void prepareQuery(Exchange exchange) {
        exchange.getMessage().setHeader("sObjectQuery", batch(exchange).query());
        call("query");
    }

    /** After each salesforce:query (rawPayload): records found are resolved, the rest is asked of the next object. */
    public void lookedUp(Exchange exchange) throws IOException {
        CrmBatch batch = batch(exchange);
        CrmBatch.Query query = batch.takeQuery();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Map<String, String> found = SoqlLookup.parse(body);
        if (!SoqlLookup.complete(body)) {
            // only with thousands of duplicates per email; the ones not on the first page are looked up next time
            LOG.warn("Salesforce lookup on {} returned more than one page; only the first page is used", query.object());
        }
        for (String email : query.emails()) {
            String id = found.get(email);
            if (id == null) {
                batch.notFoundYet().add(email);
            } else {
                RecordRef ref = new RecordRef(query.object(), id);
                batch.resolved.put(email, ref);
                cache.found(email, ref);
            }
        }
        recordLimitInfo(exchange);
        if (!batch.hasQuery()) {
            lookIn(batch, batch.objectIndex() + 1, new ArrayList<>(batch.notFoundYet()));
        }
    }

    /** One update of absolute values per resolved recipient, in sObject Collections chunks (≤ 200 records). */
    public void coalesce(Exchange exchange) {
        CrmBatch batch = batch(exchange);
        if (!batch.unmatched.isEmpty()) {
            metrics.counter("hub_crm_recipients", "outcome", "unmatched").increment(batch.unmatched.size());
            LOG.debug("{} recipients are in none of {}: skipped", batch.unmatched.size(), objects);
        }
        Map<String, Engagement> engagement = journal.read(batch.resolved.keySet());
        // Contacts first, then Leads: a collection call handles each run of one type as a chunk
        List<Map.Entry<String, RecordRef>> records = new ArrayList<>(batch.resolved.entrySet());
        records.sort(Comparator.comparingInt(e -> objects.indexOf(e.getValue().type())));
        for (int from = 0; from < records.size(); from += updateBatchSize) {
            List<Map<String, Object>> chunk = new ArrayList<>();
            List<String> recipients = new ArrayList<>();
            for (Map.Entry<String, RecordRef> e : records.subList(from, Math.min(records.size(), from + updateBatchSize))) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("attributes", Map.of("type", e.getValue().type()));
                record.put("Id", e.getValue().id());
                record.putAll(fields.values(engagement.getOrDefault(e.getKey(), Engagement.NONE)));
                chunk.add(record);
                recipients.add(e.getKey());
            }
            batch.addChunk(new CrmBatch.Chunk(chunk, recipients));
        }
    }

    /** Before each salesforce:compositeUpdateSObjectCollections: the body is the next chunk's records. */
    public void nextChunk(Exchange exchange) {
        exchange.getMessage().setBody(batch(exchange).takeChunk().records());
        call("update");
    }

    /** After each collections call: per-record results, in request order. */
    public void saved(Exchange exchange) {
        CrmBatch batch = batch(exchange);
        CrmBatch.Chunk chunk = batch.current();
        List<?> results = exchange.getMessage().getBody(List.class);
        batch.settled();
        recordLimitInfo(exchange);
        for (int i = 0; i < chunk.recipients().size(); i++) {
            String recipient = chunk.recipients().get(i);
            Object result = results != null && i < results.size() ? results.get(i) : null;
            if (result == null) {
                batch.retryRecipient(recipient, "Salesforce returned no result for this record");
                continue;
            }
            SaveSObjectResult r = result instanceof SaveSObjectResult s ? s
                    : Json.MAPPER.convertValue(result, SaveSObjectResult.class);
            if (Boolean.TRUE.equals(r.getSuccess())) {
                batch.updated++;
                continue;
            }
            RestError error = r.getErrors() == null || r.getErrors().isEmpty() ? null : r.getErrors().get(0);
            String code = error == null || error.getErrorCode() == null ? "UNKNOWN" : error.getErrorCode();
            String text = code + (error == null || error.getMessage() == null ? "" : ": " + error.getMessage());
            if (permanentErrors.contains(code)) {
                batch.failRecipient(recipient, text);
            } else {
                if (staleRecordErrors.contains(code)) {
                    cache.evict(recipient);   // deleted, merged or converted: look it up again on retry
                }
                batch.retryRecipient(recipient, text);
            }
        }
    }

    /** A camel-salesforce call failed (after the component's own re-login on 401): decide what happens to the batch. */
    public void salesforceFailed(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SalesforceException sf = salesforceException(caught);
        String codes = sf == null || sf.getErrors() == null ? ""
                : sf.getErrors().stream().map(RestError::getErrorCode).collect(Collectors.joining(","));
        String error;
        if (codes.contains(LIMIT_EXCEEDED)) {
            exchange.setProperty(Delivery.RETRY_AFTER, limitBackoff);
            error = "Salesforce API limit exceeded (" + LIMIT_EXCEEDED + ")";
        } else if (sf != null && (sf.getStatusCode() == 401 || sf.getStatusCode() == 403 || isLoginFailure(sf))) {
            throw new DestinationConfigurationException("Salesforce refused the integration user (HTTP " + sf.getStatusCode()
                    + (codes.isEmpty() ? "" : " " + codes) + "): check camel.component.salesforce.* credentials and permissions");
        } else {
            error = "Salesforce call failed: " + (caught == null ? "unknown error" : caught.getMessage());
        }
        CrmBatch batch = batch(exchange);
        if (!batch.anySettled()) {
            throw new CrmUnavailableException(error, caught);
        }
        int n = batch.retryRest(error);
        LOG.warn("{}; {} recipients of the batch will be retried", error, n);
    }

    /** The Salesforce component is not configured well enough to log in: an operator must act; events stay queued. */
    public void misconfigured(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        throw new DestinationConfigurationException("Salesforce is not configured: "
                + (caught == null ? "incomplete credentials" : caught.getMessage()) + " (set camel.component.salesforce.*)");
    }

    /** Puts refused and retried event ids on the exchange for the delivery engine. */
    public void finish(Exchange exchange) {
        CrmBatch batch = batch(exchange);
        Delivery.addOutcomes(exchange, Delivery.FAILED, batch.failed);
        Delivery.addOutcomes(exchange, Delivery.RETRY, batch.retry);
        metrics.counter("hub_crm_recipients", "outcome", "updated").increment(batch.updated);
        if (!batch.failed.isEmpty()) {
            LOG.warn("Salesforce refused {} events for good (first: {})", batch.failed.size(), batch.failed.values().iterator().next());
        }
        exchange.removeProperty(CrmBatch.PROPERTY);
    }

    /** Queries for the emails still unresolved in object number {@code index}; past the last object they are unmatched. */
    private void lookIn(CrmBatch batch, int index, List<String> emails) {
        if (emails.isEmpty()) {
            return;
        }
        if (index >= objects.size()) {
            for (String email : emails) {
                batch.unmatched.add(email);
                cache.missing(email);
            }
            return;
        }
        String object = objects.get(index);
        List<CrmBatch.Query> queries = new ArrayList<>();
        for (List<String> part : SoqlLookup.partition(emails, lookupBatchSize, lookupMaxChars)) {
            queries.add(new CrmBatch.Query(object, SoqlLookup.soql(object, filters.get(object), part), part));
        }
        batch.startObject(index, queries);
    }

    private void call(String op) {
        apiCalls.incrementAndGet();
        metrics.counter("hub_crm_api_calls", "op", op).increment();
    }

    private void recordLimitInfo(Exchange exchange) {
        String info = exchange.getMessage().getHeader("Sforce-Limit-Info", String.class);
        if (info != null) {
            Matcher m = API_USAGE.matcher(info);
            if (m.find()) {
                apiUsed.set(Long.parseLong(m.group(1)));
                apiLimit.set(Long.parseLong(m.group(2)));
            }
        }
    }

    /** The token endpoint answered an OAuth error (invalid_grant, invalid_client...): credentials, not an outage. */
    private static boolean isLoginFailure(SalesforceException e) {
        return e.getErrors() != null && e.getErrors().stream()
                .anyMatch(r -> r.getMessage() != null && r.getMessage().startsWith("Login error code:"));
    }

    private static SalesforceException salesforceException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SalesforceException s) {
                return s;
            }
        }
        return null;
    }


    private static CrmBatch batch(Exchange exchange) {
        return exchange.getProperty(CrmBatch.PROPERTY, CrmBatch.class);
    }
}
