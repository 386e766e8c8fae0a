package com.emaileventhub.webhook;

/**
 * A request the hub refuses, with the HTTP status the ESP gets and a message naming what is wrong.
 * The message must never contain a secret or echo a request header.
 */
public final class WebhookRejection extends RuntimeException {
    private final int status;
    private final String reason;

    private WebhookRejection(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public static WebhookRejection unauthorized(String reason, String message) {
        return new WebhookRejection(401, reason, message);
    }

    public static WebhookRejection badRequest(String message) {
        return new WebhookRejection(400, "bad_request", message);
    }

    public static WebhookRejection unsupportedMediaType(String message) {
        return new WebhookRejection(415, "unsupported_media_type", message);
    }

    public static WebhookRejection notFound(String message) {
        return new WebhookRejection(404, "not_found", message);
    }

    public static WebhookRejection tooLarge(String message) {
        return new WebhookRejection(413, "too_large", message);
    }

    public static WebhookRejection unavailable(String message) {
        return new WebhookRejection(503, "storage_unavailable", message);
    }

    public int status() {
        return status;
    }

    /** A short machine label for metrics (signature, credentials, stale_timestamp, replay, ...). */
    public String reason() {
        return reason;
    }
}
