package com.emaileventhub.store;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The events this instance stored last, each with the JSON its journal row holds (hub.journal.recent-events of
 * them, oldest out first). The destinations that follow the journal read rows a few hundred milliseconds old: a row
 * found here is handed on as the event intake built, instead of being parsed again (the parse was a fifth of the
 * hub's CPU with batches). Only rows whose JSON is the same string are taken from here, so a row written by another
 * instance, or stored again after a purge, is parsed as before; the event's JSON reads back as an equal event
 * (StoredEventRoundTripTest holds that for every vendor's payloads).
 */
public final class RecentEvents {
    /**
     * A group's events are kept only while no journal-fed destination stands further behind intake than this: at a
     * peak they run seconds behind, past what is kept, and events kept for nobody cost the garbage collector (SendGrid
     * batches at peak, kept all the same: about 10 % slower over four alternating runs, docs/benchmarks.md).
     */
    static final long READ_SOON_MILLIS = 1_000;

    /** Keeps nothing: every row is parsed. */
    public static final RecentEvents NONE = new RecentEvents(0);

    private record Recent(String body, CanonicalEvent event) {
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Recent> byId = new ConcurrentHashMap<>();
    /** Ids in the order they were stored, for eviction; guarded by itself. */
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public RecentEvents(int capacity) {
        if (capacity < 0) {
            throw HubConfig.invalid("hub.journal.recent-events", "must not be negative (0: every row is parsed)");
        }
        this.capacity = capacity;
    }

    /**
     * After the transaction that stored them committed: the events inserted (not the duplicates), with their JSON;
     * kept unless the furthest journal-fed destination stands more than {@link #READ_SOON_MILLIS} behind intake.
     */
    void remember(List<CanonicalEvent> events, List<String> bodies, Set<String> inserted, long lagMillis) {
        if (capacity == 0 || lagMillis > READ_SOON_MILLIS) {
            return;
        }
        synchronized (order) {
            for (int i = 0; i < events.size(); i++) {
                CanonicalEvent e = events.get(i);
                if (inserted.contains(e.id())) {
                    byId.put(e.id(), new Recent(bodies.get(i), e));
                    order.addLast(e.id());
                }
            }
            while (order.size() > capacity) {
                byId.remove(order.pollFirst());
            }
        }
    }

    /** The event of the journal row {@code id} whose JSON is {@code body}, when this instance stored it lately; else null. */
    CanonicalEvent event(String id, String body) {
        Recent r = capacity == 0 ? null : byId.get(id);
        if (r != null && r.body().equals(body)) {
            hits.increment();
            return r.event();
        }
        misses.increment();
        return null;
    }

    /** Journal rows read by a destination and found here. */
    public double hits() {
        return hits.sum();
    }

    /** Journal rows read by a destination and parsed. */
    public double misses() {
        return misses.sum();
    }
}
