package com.emaileventhub.destination.analytics;

/** The import API asked us to come back later (429, 5xx): the whole batch is retried with back-off. */
public final class AnalyticsUnavailableException extends RuntimeException {
    public AnalyticsUnavailableException(String message) {
        super(message);
    }
}
