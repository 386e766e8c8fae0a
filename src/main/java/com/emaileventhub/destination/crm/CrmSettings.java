package com.emaileventhub.destination.crm;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub.crm.* keys, parsed once; every default is in application.properties (Salesforce credentials are
 * camel.component.salesforce.* and read by the route's component).
 *
 * @param enabled            hub.crm.enabled
 * @param objects            sObjects searched by email, in order (hub.crm.objects)
 * @param filters            extra SOQL condition per object (hub.crm.filter.OBJECT)
 * @param lookupBatchSize    emails per SOQL IN query (hub.crm.lookup-batch-size)
 * @param lookupMaxChars     length budget of that IN list (hub.crm.lookup-max-chars)
 * @param updateBatchSize    records per sObject Collections update, at most 200 (hub.crm.update-batch-size)
 * @param limitBackoff       wait after REQUEST_LIMIT_EXCEEDED (hub.crm.limit-backoff)
 * @param permanentErrors    per-record error codes that are dead-lettered at once (hub.crm.permanent-errors)
 * @param staleRecordErrors  per-record error codes that forget the cached record (hub.crm.stale-record-errors)
 * @param cacheSize          email → record cache entries (hub.crm.cache-size)
 * @param cacheTtl           how long a found record is cached (hub.crm.cache-ttl)
 * @param negativeCacheTtl   how long "found in no object" is cached (hub.crm.negative-cache-ttl)
 * @param lastEventTypes     event types that may become the last event (hub.crm.last-event-types)
 * @param fields             Salesforce field API name per hub field (hub.crm.field.NAME); an empty key turns it off
 */
public record CrmSettings(boolean enabled, List<String> objects, Map<String, String> filters, int lookupBatchSize,
                          int lookupMaxChars, int updateBatchSize, Duration limitBackoff, Set<String> permanentErrors,
                          Set<String> staleRecordErrors, int cacheSize, Duration cacheTtl, Duration negativeCacheTtl,
                          Set<String> lastEventTypes, Map<String, String> fields) {
    /** Salesforce's limit of records per sObject Collections call. */
    static final int MAX_UPDATE_BATCH = 200;

    public CrmSettings {
        objects = List.copyOf(objects);
        filters = Map.copyOf(filters);
        permanentErrors = Set.copyOf(permanentErrors);
        staleRecordErrors = Set.copyOf(staleRecordErrors);
        lastEventTypes = Set.copyOf(lastEventTypes);
        fields = Map.copyOf(fields);
    }

    public static CrmSettings from(HubConfig config) {
        List<String> objects = list(config.require("hub.crm.objects"));
        Map<String, String> filters = new LinkedHashMap<>();
        for (String object : objects) {
            String filter = config.get("hub.crm.filter." + object);
            if (filter != null) {
                filters.put(object, filter);
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : CrmFields.NAMES) {
            String name = config.get("hub.crm.field." + field);
            if (name != null) {
                fields.put(field, name);
            }
        }
        return new CrmSettings(config.bool("hub.crm.enabled"), objects, filters,
                config.integer("hub.crm.lookup-batch-size"), config.integer("hub.crm.lookup-max-chars"),
                Math.min(MAX_UPDATE_BATCH, config.integer("hub.crm.update-batch-size")),
                config.duration("hub.crm.limit-backoff"),
                new LinkedHashSet<>(list(config.require("hub.crm.permanent-errors"))),
                new LinkedHashSet<>(list(config.require("hub.crm.stale-record-errors"))),
                config.integer("hub.crm.cache-size"), config.duration("hub.crm.cache-ttl"),
                config.duration("hub.crm.negative-cache-ttl"),
                new LinkedHashSet<>(list(config.require("hub.crm.last-event-types"))), fields);
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
