package com.emaileventhub.http;

import com.emaileventhub.webhook.RejectionReason;

/** Where the edge reports what it answered itself (the hub wires it to hub_webhooks_total). */
@FunctionalInterface
public interface EdgeOutcomes {
    /** reason: ip_not_allowed, https_required, overloaded, timeout, too_large, not_found, internal_error. */
    void webhook(String vendor, RejectionReason reason, long nanos);
}
