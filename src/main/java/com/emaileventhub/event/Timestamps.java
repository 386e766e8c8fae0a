package com.emaileventhub.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The one timestamp format of the canonical event: RFC 3339, UTC, milliseconds, 'Z'. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /** Canonical events carry millisecond precision; truncating once here keeps ids and storage in step. */
    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Epoch seconds, possibly fractional ("1521472262.908181" or 1521472262), as vendors send them. */
    public static Instant fromEpochSeconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        BigDecimal seconds = new BigDecimal(value.trim());
        long millis = seconds.movePointRight(3).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochMilli(millis);
    }

    public static Instant fromEpochMillis(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Instant.ofEpochMilli(new BigDecimal(value.trim()).setScale(0, java.math.RoundingMode.DOWN).longValueExact());
    }

    /** ISO-8601 with an offset or 'Z', any number of fraction digits (Postmark sends seven). */
    public static Instant fromIso(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return millis(OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return millis(Instant.parse(value.trim()));
        }
    }
}
