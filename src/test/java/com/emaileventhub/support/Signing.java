package com.emaileventhub.support;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signatures as a vendor makes them, written out independently of the hub's verifiers. */
public final class Signing {
    private Signing() {
    }

    /** A new P-256 key pair (SendGrid's curve). */
    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA256withECDSA (DER) over the parts one after another, base64. */
    public static String ecdsa(PrivateKey key, byte[]... parts) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            for (byte[] part : parts) {
                s.update(part);
            }
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MAC of data under key with algorithm (HmacSHA1, HmacSHA256, ...). */
    public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
