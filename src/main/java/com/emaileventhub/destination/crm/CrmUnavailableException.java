package com.emaileventhub.destination.crm;

/** Salesforce could not take the batch now (API limit, 5xx, network): the whole batch is retried with back-off. */
public final class CrmUnavailableException extends RuntimeException {
    public CrmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
