package com.emaileventhub.store;

/** What one request added to the journal: new events and events already known. */
public record StoreResult(int accepted, int duplicates) {
}
