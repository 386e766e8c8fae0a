package com.emaileventhub.destination.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;

/**
 * Email → record cache (Caffeine), so that a recipient seen again costs no SOQL query. Bounded, with a
 * time to live; "found in no object" is cached too, for a shorter time, so that a contact created
 * meanwhile in Salesforce is picked up soon.
 */
final class RecordCache {
    /** The answer of {@link #get}: {@code known} false = ask Salesforce; else {@code ref} (null = in no object). */
    record Lookup(boolean known, RecordRef ref) {
        static final Lookup MISS = new Lookup(false, null);
    }

    /** A cached answer; {@code ref} null = in no object. */
    private record Entry(RecordRef ref) {
    }

    private final Cache<String, Entry> entries;

    RecordCache(int maxEntries, Duration ttl, Duration negativeTtl, Clock clock) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)   // evict on the caller's thread: no background pool for a cache this cheap
                .expireAfter(Expiry.<String, Entry>creating((email, e) -> e.ref() == null ? negativeTtl : ttl))
                .build();
    }

    Lookup get(String email) {
        Entry e = entries.getIfPresent(email);
        return e == null ? Lookup.MISS : new Lookup(true, e.ref());
    }

    void found(String email, RecordRef ref) {
        entries.put(email, new Entry(ref));
    }

    void missing(String email) {
        entries.put(email, new Entry(null));
    }

    void evict(String email) {
        entries.invalidate(email);
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
