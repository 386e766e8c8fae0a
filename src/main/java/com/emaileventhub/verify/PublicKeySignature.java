package com.emaileventhub.verify;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** Asymmetric signatures (RSA, ECDSA) checked with a vendor's public key, by JCA algorithm name. */
public final class PublicKeySignature {
    private PublicKeySignature() {
    }

    /** True when {@code signature} is valid for {@code data}; a malformed signature or unsuitable key is simply false. */
    public static boolean verify(String jcaAlgorithm, PublicKey key, byte[] data, byte[] signature) {
        if (key == null || signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jcaAlgorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaAlgorithm + " unavailable", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Decodes a base64 signature (whitespace ignored); null when it is not base64, which then never verifies. */
    public static byte[] base64(String signature) {
        if (signature == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(signature.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
