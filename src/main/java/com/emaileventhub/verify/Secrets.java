package com.emaileventhub.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Constant-time comparison of secrets and signatures. */
public final class Secrets {
    private Secrets() {
    }

    public static boolean equal(byte[] expected, byte[] actual) {
        return expected != null && actual != null && MessageDigest.isEqual(expected, actual);
    }

    public static boolean equal(String expected, String actual) {
        return expected != null && actual != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    /** True when actual equals any candidate; every candidate is compared, so timing does not tell which. */
    public static boolean equalsAny(List<String> candidates, String actual) {
        boolean match = false;
        for (String c : candidates) {
            match |= equal(c, actual);
        }
        return match;
    }
}
