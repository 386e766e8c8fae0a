package com.emaileventhub.webhook;

/**
 * The one vocabulary of the {@code reason} label of {@code hub_webhooks_total}: every verifier, the HTTP edge and
 * the intake say why a webhook was refused or failed with one of these, so that the same fault reads the same for
 * every vendor (docs/operations.md lists them with what to do).
 */
public enum RejectionReason {
    /** The hub has no key, secret or topic list for the vendor: the operator must configure it. */
    NOT_CONFIGURED("not_configured"),
    /** No signature, token, credentials or signature timestamp in the request. */
    MISSING_CREDENTIALS("missing_credentials"),
    /** The signature, token or credentials are present but do not match (or are malformed). */
    BAD_SIGNATURE("bad_signature"),
    /** The signature's timestamp is older than the vendor's tolerance. */
    STALE_TIMESTAMP("stale_timestamp"),
    /** The signature's timestamp is further ahead than the vendor's tolerance. */
    FUTURE_TIMESTAMP("future_timestamp"),
    /** The single-use signature token was seen before. */
    REPLAY("replay"),
    /** A signed message whose sender is not trusted: certificate or callback URL off the vendor's hosts, an
     *  expired certificate, a topic that is not allowed (SES/SNS). */
    UNTRUSTED_SENDER("untrusted_sender"),
    /** The vendor's signing certificate could not be fetched. */
    CERTIFICATE_UNAVAILABLE("certificate_unavailable"),
    /** The body cannot be read as the vendor's format. */
    BAD_REQUEST("bad_request"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** The path answers only media types the request's Accept header excludes (406). */
    NOT_ACCEPTABLE("not_acceptable"),
    TOO_LARGE("too_large"),
    /** No webhook route for that vendor (counted with vendor "unknown" at the HTTP edge). */
    NOT_FOUND("not_found"),
    /** A method the path is not served with (405, the Allow header names those it is). */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    IP_NOT_ALLOWED("ip_not_allowed"),
    HTTPS_REQUIRED("https_required"),
    /** 503: the hub was at its limit of concurrent webhook requests. */
    OVERLOADED("overloaded"),
    /** 503: the request was not processed within hub.http.request-timeout. */
    TIMEOUT("timeout"),
    /** 503: the database could not store the events. */
    STORAGE_UNAVAILABLE("storage_unavailable"),
    /** 500: a fault of the hub. */
    INTERNAL_ERROR("internal_error");

    /** The reason of an accepted request. */
    public static final String NONE = "none";

    private final String label;

    RejectionReason(String label) {
        this.label = label;
    }

    /** True for the hub's own failures (the outcome "failed", a 5xx the ESP retries), false for refusals. */
    public boolean failure() {
        return this == OVERLOADED || this == TIMEOUT || this == STORAGE_UNAVAILABLE || this == INTERNAL_ERROR;
    }

    /** The metric label. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
