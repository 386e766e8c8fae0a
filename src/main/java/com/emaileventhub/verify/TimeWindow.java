package com.emaileventhub.verify;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** The freshness check of signed timestamps: too old or too far in the future is a 401. */
public final class TimeWindow {
    private TimeWindow() {
    }

    /** Parses decimal epoch seconds as vendors send them; 401 when absent or not a number. */
    public static Instant epochSeconds(String value, String what) {
        if (value == null || value.isBlank()) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, what + " is missing");
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(value.trim()));
        } catch (NumberFormatException | DateTimeException e) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, what + " is not a Unix timestamp");
        }
    }

    public static void check(Instant signedAt, Duration tolerance, Instant now, String what) {
        Duration age = Duration.between(signedAt, now);
        if (age.compareTo(tolerance) > 0) {
            throw WebhookRejection.unauthorized(RejectionReason.STALE_TIMESTAMP, what + " is older than the tolerance of " + tolerance);
        }
        if (age.negated().compareTo(tolerance) > 0) {
            throw WebhookRejection.unauthorized(RejectionReason.FUTURE_TIMESTAMP, what + " is further in the future than the tolerance of " + tolerance);
        }
    }
}
