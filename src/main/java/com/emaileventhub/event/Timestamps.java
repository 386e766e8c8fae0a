package com.emaileventhub.event;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The one timestamp format of the canonical event: RFC 3339, UTC, milliseconds, 'Z'. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final int MAX_EPOCH_TEXT = 64;
    private static final int MAX_INTEGER_DIGITS = 16;
    private static final int MAX_FRACTION_DIGITS = 30;

    private Timestamps() {
    }

    public static String format(Instant instant) {
        if (instant == null) {
            return null;
        }
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= 253_402_300_800L) {   // outside years 1970..9999: the general formatter
            return FORMAT.format(instant);
        }
        // hot path (ids, JSON of every event): plain arithmetic instead of DateTimeFormatter
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        put(c, 0, t.getYear(), 4);
        put(c, 5, t.getMonthValue(), 2);
        put(c, 8, t.getDayOfMonth(), 2);
        put(c, 11, t.getHour(), 2);
        put(c, 14, t.getMinute(), 2);
        put(c, 17, t.getSecond(), 2);
        put(c, 20, instant.getNano() / 1_000_000, 3);
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final Instant FIRST_RFC3339 = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_RFC3339 = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Whether the canonical format (RFC 3339: four-digit years) can write this time; false for null. */
    public static boolean isRepresentable(Instant instant) {
        return instant != null && !instant.isBefore(FIRST_RFC3339) && !instant.isAfter(LAST_RFC3339);
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
        return Instant.ofEpochMilli(wholeMillis(epochNumber(value).movePointRight(3)));
    }

    public static Instant fromEpochMillis(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Instant.ofEpochMilli(wholeMillis(epochNumber(value)));
    }

    /**
     * The decimal of an epoch value, refused (DateTimeException) before any scaling when it cannot be a time:
     * rescaling "1E71244000" or "1E-999999999" would build a number of millions of digits and hold the
     * request's thread for minutes. Epoch times have at most 16 integer digits (milliseconds until year
     * 300,000) and no vendor sends more than nanoseconds.
     */
    public static BigDecimal epochNumber(String value) {
        String v = value.trim();
        if (v.length() > MAX_EPOCH_TEXT) {
            throw new DateTimeException("epoch time is longer than " + MAX_EPOCH_TEXT + " characters");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new DateTimeException("epoch time is not a number");
        }
        if (d.scale() > MAX_FRACTION_DIGITS || d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
            throw new DateTimeException("epoch time is out of range");
        }
        return d;
    }

    private static long wholeMillis(BigDecimal millis) {
        try {
            return millis.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new DateTimeException("epoch time is out of range");
        }
    }

    /** ISO-8601 with an offset or 'Z', any number of fraction digits (Postmark sends seven). */
    public static Instant fromIso(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant fast = fastIso(value);
        if (fast != null) {
            return fast;
        }
        try {
            return millis(OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return millis(Instant.parse(value.trim()));
        }
    }

    /**
     * yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM), the shape nearly every vendor sends, read without
     * DateTimeFormatter (a measured hot spot); null for anything else, which the general parser handles.
     */
    private static Instant fastIso(String v) {
        int n = v.length();
        if (n < 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || (v.charAt(10) != 'T' && v.charAt(10) != 't' && v.charAt(10) != ' ')
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int millis = 0;
        if (i < n && v.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(v.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (v.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (v.charAt(i) == 'Z' || v.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (v.charAt(i) == '+' || v.charAt(i) == '-') && v.charAt(i + 3) == ':') {
            int oh = digits(v, i + 1, 2);
            int om = digits(v, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (v.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
            return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
        } catch (DateTimeException e) {
            return null;   // e.g. 2026-02-30: the general parser reports it
        }
    }

    private static int digits(String v, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char ch = v.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }
}
