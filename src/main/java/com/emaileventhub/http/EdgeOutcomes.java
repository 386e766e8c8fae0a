package com.emaileventhub.http;

/** Where the edge reports what it answered itself (the hub wires it to hub_webhooks_total). */
@FunctionalInterface
public interface EdgeOutcomes {
    /** outcome: rejected or failed; reason: ip_not_allowed, https_required, overloaded, timeout, too_large, not_found. */
    void webhook(String vendor, String outcome, String reason, long nanos);
}
