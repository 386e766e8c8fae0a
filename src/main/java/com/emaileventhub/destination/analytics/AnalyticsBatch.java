package com.emaileventhub.destination.analytics;

import com.emaileventhub.event.CanonicalEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One delivery's work list (exchange property {@value #PROPERTY}): chunks still to send, the chunk
 * in flight, and what the import API refused. A 413 puts the two halves of a chunk back in front.
 */
public final class AnalyticsBatch {
    public static final String PROPERTY = "analyticsBatch";

    /** An event with its JSON, serialised once so that splitting never re-maps it. */
    record Item(CanonicalEvent event, byte[] json) {
    }

    private final Deque<List<Item>> pending = new ArrayDeque<>();
    private List<Item> current = List.of();
    private final Map<String, String> failed = new LinkedHashMap<>();
    private final Map<String, String> retry = new LinkedHashMap<>();
    private int delivered;
    private int requests;

    AnalyticsBatch(List<Item> items, int maxEvents, long maxBytes) {
        List<Item> chunk = new ArrayList<>();
        long bytes = 2;
        for (Item item : items) {
            long size = item.json().length + 1L;
            if (!chunk.isEmpty() && (chunk.size() >= maxEvents || bytes + size > maxBytes)) {
                pending.add(chunk);
                chunk = new ArrayList<>();
                bytes = 2;
            }
            chunk.add(item);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            pending.add(chunk);
        }
    }

    /** Used by the route's loop: more chunks to send. */
    public boolean hasNext() {
        return !pending.isEmpty();
    }

    /** Takes the next chunk and returns it as a JSON array (uncompressed; camel-http gzips it). */
    byte[] next() {
        current = pending.poll();
        requests++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < current.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(current.get(i).json());
        }
        out.write(']');
        return out.toByteArray();
    }

    List<Item> current() {
        return current;
    }

    void currentDelivered(int count) {
        delivered += count;
    }

    /** Halves the chunk in flight and sends the halves next; false when it is a single event. */
    boolean splitCurrent() {
        if (current.size() < 2) {
            return false;
        }
        int half = current.size() / 2;
        pending.addFirst(new ArrayList<>(current.subList(half, current.size())));
        pending.addFirst(new ArrayList<>(current.subList(0, half)));
        return true;
    }

    void fail(String id, String error) {
        failed.put(id, error);
    }

    /** Moves the chunk in flight and everything not yet sent to the retry list. */
    int retryRest(String error) {
        int n = 0;
        for (Item item : current) {
            retry.put(item.event().id(), error);
            n++;
        }
        for (List<Item> chunk : pending) {
            for (Item item : chunk) {
                retry.put(item.event().id(), error);
                n++;
            }
        }
        pending.clear();
        current = List.of();
        return n;
    }

    boolean anyDelivered() {
        return delivered > 0 || !failed.isEmpty();
    }

    Map<String, String> failed() {
        return failed;
    }

    Map<String, String> retry() {
        return retry;
    }

    int delivered() {
        return delivered;
    }

    int requests() {
        return requests;
    }
}
