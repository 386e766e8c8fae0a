package com.emaileventhub.webhook;

/**
 * A request the hub refuses, with the HTTP status the ESP gets, the reason label of the metrics and a message
 * naming what is wrong. The message must never contain a secret or echo a request header.
 */
public final class WebhookRejection extends RuntimeException {
    private final int status;
    private final RejectionReason reason;

    private WebhookRejection(int status, RejectionReason reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** 401: signature, credentials or the sender's trust (the reason says which). */
    public static WebhookRejection unauthorized(RejectionReason reason, String message) {
        return new WebhookRejection(401, reason, message);
    }

    public static WebhookRejection badRequest(String message) {
        return new WebhookRejection(400, RejectionReason.BAD_REQUEST, message);
    }

    public static WebhookRejection unsupportedMediaType(String message) {
        return new WebhookRejection(415, RejectionReason.UNSUPPORTED_MEDIA_TYPE, message);
    }

    public static WebhookRejection notFound(String message) {
        return new WebhookRejection(404, RejectionReason.NOT_FOUND, message);
    }

    public static WebhookRejection tooLarge(String message) {
        return new WebhookRejection(413, RejectionReason.TOO_LARGE, message);
    }

    public static WebhookRejection unavailable(String message) {
        return new WebhookRejection(503, RejectionReason.STORAGE_UNAVAILABLE, message);
    }

    public int status() {
        return status;
    }

    /** The metric label's value, from the one vocabulary of {@link RejectionReason}. */
    public RejectionReason reason() {
        return reason;
    }
}
