package com.emaileventhub.store;

/** The database could not take the write; the request gets 503 so the ESP retries, and nothing was stored. */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
