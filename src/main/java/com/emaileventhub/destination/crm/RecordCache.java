package com.emaileventhub.destination.crm;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Email → record cache, so that a recipient seen again costs no SOQL query. Bounded (least recently
 * used goes first) with a time to live; "found in no object" is cached too, for a shorter time,
 * so that a contact created meanwhile in Salesforce is picked up soon.
 */
final class RecordCache {
    /** The answer of {@link #get}: {@code known} false = ask Salesforce; else {@code ref} (null = in no object). */
    record Lookup(boolean known, RecordRef ref) {
        static final Lookup MISS = new Lookup(false, null);
    }

    private record Entry(RecordRef ref, long expiresAt) {
    }

    private final Map<String, Entry> entries;
    private final Duration ttl;
    private final Duration negativeTtl;
    private final Clock clock;

    RecordCache(int maxEntries, Duration ttl, Duration negativeTtl, Clock clock) {
        this.ttl = ttl;
        this.negativeTtl = negativeTtl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized Lookup get(String email) {
        Entry e = entries.get(email);
        if (e == null) {
            return Lookup.MISS;
        }
        if (e.expiresAt() <= clock.millis()) {
            entries.remove(email);
            return Lookup.MISS;
        }
        return new Lookup(true, e.ref());
    }

    synchronized void found(String email, RecordRef ref) {
        entries.put(email, new Entry(ref, clock.millis() + ttl.toMillis()));
    }

    synchronized void missing(String email) {
        entries.put(email, new Entry(null, clock.millis() + negativeTtl.toMillis()));
    }

    synchronized void evict(String email) {
        entries.remove(email);
    }

    synchronized int size() {
        return entries.size();
    }
}
