package com.emaileventhub.verify;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC signatures (SHA-256, SHA-1) with hex or base64 encodings, checked in constant time against rotated keys. */
public final class Hmac {
    public enum Algorithm {
        SHA256("HmacSHA256"), SHA1("HmacSHA1");

        final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }
    }

    public enum Encoding { HEX, BASE64 }

    private Hmac() {
    }

    public static byte[] compute(Algorithm alg, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(alg.jca);
            mac.init(new SecretKeySpec(key, alg.jca));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.jca + " unavailable", e);
        }
    }

    public static String encode(byte[] digest, Encoding encoding) {
        return encoding == Encoding.HEX ? HexFormat.of().formatHex(digest) : Base64.getEncoder().encodeToString(digest);
    }

    /** Decodes a presented signature; null when it is not valid hex/base64 (which then simply does not match). */
    public static byte[] decode(String signature, Encoding encoding) {
        if (signature == null) {
            return null;
        }
        try {
            return encoding == Encoding.HEX ? HexFormat.of().parseHex(signature.trim().toLowerCase(Locale.ROOT))
                    : Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True when the signature matches the data under any of the keys (all keys are tried). */
    public static boolean matchesAny(Algorithm alg, List<byte[]> keys, byte[] data, String signature, Encoding encoding) {
        byte[] presented = decode(signature, encoding);
        boolean match = false;
        for (byte[] key : keys) {
            match |= Secrets.equal(compute(alg, key, data), presented);
        }
        return match;
    }
}
