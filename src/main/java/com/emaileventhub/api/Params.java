package com.emaileventhub.api;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.Timestamps;
import org.apache.camel.Message;

/** Query and path parameters of the API (platform-http hands them over as headers), checked once here. */
final class Params {
    private Params() {
    }

    /** The trimmed value, or null when absent or blank. */
    static String text(Message m, String name) {
        String v = m.getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** An RFC 3339 timestamp as epoch milliseconds, or null when absent; 400 naming the parameter otherwise. */
    static Long time(Message m, String name) {
        String v = text(m, name);
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.fromIso(v).toEpochMilli();
        } catch (RuntimeException e) {
            throw new ApiError(400, "parameter " + name + ": not an RFC 3339 timestamp");
        }
    }

    /**
     * A "since" value as epoch milliseconds: an ISO-8601 duration back from {@code now} (P90D) or an RFC 3339
     * time; {@code absent} when not given; 400 naming the parameter otherwise.
     */
    static long since(String value, String name, long now, long absent) {
        if (value == null) {
            return absent;
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                return now - HubConfig.parseDuration(name, value).toMillis();
            } catch (RuntimeException e) {
                throw new ApiError(400, "parameter " + name + ": not an ISO-8601 duration (e.g. P90D)");
            }
        }
        try {
            return Timestamps.fromIso(value).toEpochMilli();
        } catch (RuntimeException e) {
            throw new ApiError(400, "parameter " + name + ": neither an ISO-8601 duration (P90D) nor an RFC 3339 time");
        }
    }

    /** Page size: 100 when absent, 1 to 1000 otherwise. */
    static int limit(Message m) {
        String v = text(m, "limit");
        if (v == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(400, "parameter limit: must be an integer from 1 to 1000");
    }
}
