package com.emaileventhub.store;

import java.sql.SQLException;

/** The database could not take the write; the request gets 503 so the ESP retries, and nothing was stored. */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Names the SQL state and class only: driver messages may quote the rows (recipients, payloads). */
    public static StorageUnavailableException of(String what, SQLException e) {
        SQLException root = e.getNextException() != null ? e.getNextException() : e;
        return new StorageUnavailableException(what + " failed: " + root.getClass().getSimpleName()
                + " (SQLState " + root.getSQLState() + ")", e);
    }
}
