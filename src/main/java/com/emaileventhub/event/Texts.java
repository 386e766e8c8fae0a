package com.emaileventhub.event;

/** Bounded text for canonical fields that stores keep in sized columns. */
public final class Texts {
    /** Appended where a text was cut, so that a reader never mistakes the rest for the whole. */
    public static final String CUT_MARKER = "\u2026[truncated]";

    private Texts() {
    }

    /**
     * The text with U+0000 replaced by U+FFFD: PostgreSQL text cannot hold it, and a derived column that a
     * store refuses would fail its whole batch forever. Ids are never altered (the journal refuses them).
     */
    public static String storable(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\ufffd');
    }

    /** The text itself when it fits in {@code max} characters, else its start and {@link #CUT_MARKER}, {@code max} in all. */
    public static String cut(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int keep = max - CUT_MARKER.length();
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--;   // never split a surrogate pair
        }
        return value.substring(0, Math.max(0, keep)) + CUT_MARKER;
    }

    /** The first value that holds more than white space, as it is; null when there is none. */
    public static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
