package com.emaileventhub.destination;

/** The destination refused our credentials (401/403): an operator must act; the events stay queued. */
public final class DestinationConfigurationException extends RuntimeException {
    public DestinationConfigurationException(String message) {
        super(message);
    }
}
