package com.emaileventhub.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECDSA P-256 / SHA-256 verification against one or more configured public keys, as SendGrid
 * signs its Event Webhook. Keys are configured as base64 DER SubjectPublicKeyInfo (what vendors
 * display) or PEM, several separated by commas; parsed keys are cached by the raw setting so
 * that a rotated value takes effect without a restart.
 */
public final class Ecdsa {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);
    private static final int MAX_CACHED_SETTINGS = 16;
    private static final Map<String, List<PublicKey>> CACHE = new ConcurrentHashMap<>();

    private Ecdsa() {
    }

    /**
     * Parses a key setting (cached by its raw value).
     *
     * @param keyName the configuration key, named in the error when the value cannot be parsed
     * @throws IllegalArgumentException when any key in the value is not a P-256 public key
     */
    public static List<PublicKey> publicKeys(String value, String keyName) {
        List<PublicKey> cached = CACHE.get(value);
        if (cached != null) {
            return cached;
        }
        List<PublicKey> parsed = parse(value, keyName);
        if (CACHE.size() >= MAX_CACHED_SETTINGS) {
            CACHE.clear(); // only ever a handful of distinct settings; a bound keeps a misbehaving lookup harmless
        }
        CACHE.put(value, parsed);
        return parsed;
    }

    static List<PublicKey> parse(String value, String keyName) {
        List<String> encoded = new ArrayList<>();
        // a PEM pasted into a one-line environment variable often arrives with literal "\n" escapes
        String rest = value.replace("\\n", "\n");
        Matcher m = PEM.matcher(rest);
        while (m.find()) {
            encoded.add(m.group(1));
        }
        rest = m.replaceAll(",");
        for (String part : rest.split(",")) {
            if (!part.isBlank()) {
                encoded.add(part);
            }
        }
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException(keyName + ": no public key found");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            keys.add(decode(encoded.get(i), keyName, i + 1));
        }
        return List.copyOf(keys);
    }

    private static PublicKey decode(String base64, String keyName, int position) {
        String what = keyName + " (key " + position + ")";
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException(what + ": not an EC P-256 public key");
            }
            return key;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new IllegalArgumentException(what + ": not valid base64 or PEM", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": not a DER SubjectPublicKeyInfo EC public key", e);
        }
    }

    /**
     * True when {@code signature} (DER {@code SEQUENCE{r,s}}, or the 64-byte raw r‖s form) signs
     * {@code data} under any of the keys. Malformed signatures simply do not match.
     */
    public static boolean verifiesAny(List<PublicKey> keys, byte[] data, byte[] signature) {
        if (signature == null || signature.length == 0) {
            return false;
        }
        boolean match = false;
        for (PublicKey key : keys) {
            match |= verify("SHA256withECDSA", key, data, signature)
                    || signature.length == 64 && verify("SHA256withECDSAinP1363Format", key, data, signature);
        }
        return match;
    }

    private static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature is a non-match, not an error
        }
    }
}
