package com.emaileventhub.event;

import java.util.Locale;

/** Recipient addresses as the canonical event holds them: the address alone, trimmed, lower-cased. */
public final class Recipients {
    private Recipients() {
    }

    public static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String s = value.trim();
        int open = s.lastIndexOf('<');
        int close = s.lastIndexOf('>');
        if (open >= 0 && close > open) {
            s = s.substring(open + 1, close).trim();
        }
        if (s.isEmpty()) {
            return null;
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
