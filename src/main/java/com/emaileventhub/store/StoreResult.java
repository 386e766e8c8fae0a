package com.emaileventhub.store;

import java.util.List;

/**
 * What one request added to the journal: the ids of the events that were new (request order, each once) and how
 * many events of the request were already known (stored before, or repeated within the request).
 */
public record StoreResult(List<String> acceptedIds, int duplicates) {
    public StoreResult {
        acceptedIds = List.copyOf(acceptedIds);
    }

    /** How many events were new. */
    public int accepted() {
        return acceptedIds.size();
    }
}
