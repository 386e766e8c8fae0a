package com.emaileventhub.destination.crm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CRM delivery's state (exchange property {@value #PROPERTY}), walked by the route's loops:
 * first the lookup queries (object by object, in hub.crm.objects order, each asking only for the
 * emails the previous objects did not have), then the record updates in chunks of at most 200.
 */
public final class CrmBatch {
    public static final String PROPERTY = "crmBatch";

    /** Recipient → ids of its events in this batch (the unit that is delivered, retried or failed). */
    final Map<String, List<String>> eventIds = new LinkedHashMap<>();
    final Map<String, RecordRef> resolved = new LinkedHashMap<>();
    final List<String> unmatched = new ArrayList<>();

    private int objectIndex = -1;
    private final Deque<Query> queries = new ArrayDeque<>();
    private final List<String> notFoundYet = new ArrayList<>();

    private final Deque<Chunk> chunks = new ArrayDeque<>();
    private Chunk current;

    final Map<String, String> failed = new LinkedHashMap<>();
    final Map<String, String> retry = new LinkedHashMap<>();
    int updated;
    private boolean anySettled;

    record Query(String object, String soql, List<String> emails) {
    }

    /** Records of one sObject Collections call, with the recipient of each record (same order). */
    record Chunk(List<Map<String, Object>> records, List<String> recipients) {
    }

    // --- lookups ---------------------------------------------------------------------------

    /** Used by the route's first loop. */
    public boolean hasQuery() {
        return !queries.isEmpty();
    }

    /** The SOQL of the next lookup (does not consume it). */
    public String query() {
        return queries.isEmpty() ? null : queries.peek().soql();
    }

    Query takeQuery() {
        return queries.poll();
    }

    int objectIndex() {
        return objectIndex;
    }

    void startObject(int index, List<Query> next) {
        objectIndex = index;
        notFoundYet.clear();
        queries.addAll(next);
    }

    List<String> notFoundYet() {
        return notFoundYet;
    }

    // --- updates ---------------------------------------------------------------------------

    /** Used by the route's second loop. */
    public boolean hasChunk() {
        return !chunks.isEmpty();
    }

    void addChunk(Chunk chunk) {
        chunks.add(chunk);
    }

    Chunk takeChunk() {
        current = chunks.poll();
        return current;
    }

    Chunk current() {
        return current;
    }

    void settled() {
        anySettled = true;
    }

    boolean anySettled() {
        return anySettled;
    }

    void retryRecipient(String recipient, String error) {
        eventIds.getOrDefault(recipient, List.of()).forEach(id -> retry.put(id, error));
    }

    void failRecipient(String recipient, String error) {
        eventIds.getOrDefault(recipient, List.of()).forEach(id -> failed.put(id, error));
    }

    /** After a call-level failure once some records are written: the rest is retried, nothing is sent twice. */
    int retryRest(String error) {
        int n = 0;
        List<Chunk> rest = new ArrayList<>();
        if (current != null) {
            rest.add(current);
        }
        rest.addAll(chunks);
        for (Chunk chunk : rest) {
            for (String recipient : chunk.recipients()) {
                retryRecipient(recipient, error);
                n++;
            }
        }
        chunks.clear();
        current = null;
        return n;
    }
}
