package com.emaileventhub.http;

import com.emaileventhub.webhook.RejectionReason;

/** Where the edge reports what it answered itself (the hub wires it to hub_webhooks_total and hub_http_rejected_total). */
public interface EdgeOutcomes {
    /** reason: ip_not_allowed, https_required, overloaded, timeout, too_large, not_found, method_not_allowed, internal_error. */
    void webhook(String vendor, RejectionReason reason, long nanos);

    /**
     * A request outside /webhooks/* that no route took. area: the first path segment when the hub serves paths
     * under it (api, observe), else "other"; reason: not_found or method_not_allowed.
     */
    void unrouted(String area, RejectionReason reason);
}
