package com.emaileventhub.store;

import java.util.Locale;

/**
 * H2 keeps committed transactions in memory for WRITE_DELAY milliseconds (500 by default) before it
 * writes them to disk, so a killed process loses what it had already acknowledged. Every H2 URL of the
 * hub gets WRITE_DELAY=0 unless it names a write delay itself; in-memory databases have nothing to lose.
 */
final class H2Durability {
    static final String SETTING = "WRITE_DELAY";

    private H2Durability() {
    }

    /** The URL to connect with: {@code url} plus {@code ;WRITE_DELAY=0} where H2 would otherwise delay writes. */
    static String durable(String url) {
        if (!isPersistentH2(url) || writeDelay(url) != null) {
            return url;
        }
        return url + (url.endsWith(";") ? "" : ";") + SETTING + "=0";
    }

    /**
     * True when the URL itself sets a write delay other than 0 (acknowledged events can then be lost);
     * the setting's name is case-insensitive in H2, as it is here.
     */
    static boolean delaysWrites(String url) {
        String delay = writeDelay(url);
        return isPersistentH2(url) && delay != null && !delay.matches("0+");
    }

    /** The value of the URL's WRITE_DELAY setting, trimmed, or null when it has none. */
    static String writeDelay(String url) {
        return setting(url, SETTING);
    }

    /** The value of the URL's setting {@code name} (case-insensitive), trimmed, or null when it has none. */
    static String setting(String url, String name) {
        // settings follow the first ';' as KEY=VALUE pairs; "\;" inside a value (INIT scripts) is not a separator
        String[] parts = url.split("(?<!\\\\);");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parts[i].substring(eq + 1).trim();
            }
        }
        return null;
    }

    static boolean isPersistentH2(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:");
    }
}
