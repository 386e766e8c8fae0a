package com.emaileventhub.verify;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA P-256 / SHA-256 verification against one or more configured public keys, as SendGrid
 * signs its Event Webhook. Keys are configured as base64 DER SubjectPublicKeyInfo (what vendors
 * display) or PEM, several separated by commas; parsed keys are cached by the raw setting so
 * that a rotated value takes effect without a restart.
 *
 * <p>The curve arithmetic is BouncyCastle's (its P-256 field code and a precomputed table per key, kept with the
 * cached key): 61 µs of CPU per verification where Java 17's SunEC takes 778 µs (bench/EcdsaBench.java), and every
 * SendGrid request pays one. The hash is the JDK's SHA-256, which uses the CPU's instructions.
 */
public final class Ecdsa {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);
    private static final int MAX_CACHED_SETTINGS = 16;
    private static final Map<String, List<PublicKey>> CACHE = new ConcurrentHashMap<>();
    private static final ECDomainParameters P256 = new ECDomainParameters(CustomNamedCurves.getByName("secp256r1"));
    /** The curve point of each parsed key, kept: BouncyCastle stores the key's multiplication table on it. */
    private static final Map<PublicKey, ECPublicKeyParameters> POINTS = new ConcurrentHashMap<>();

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
            POINTS.clear();
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
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not valid base64 or PEM", e);
        }
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": not a DER SubjectPublicKeyInfo EC public key", e);
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException(what + ": not an EC public key");
        }
        if (!(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)
                || !SECObjectIdentifiers.secp256r1.equals(curve)) {
            throw new IllegalArgumentException(what + ": not an EC P-256 public key");
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            POINTS.put(key, point(info));
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(what + ": not a valid EC P-256 public key", e);
        }
    }

    /**
     * True when {@code signature} (DER {@code SEQUENCE{r,s}}, or the 64-byte raw r‖s form) signs the concatenation
     * of {@code signed} under any of the keys (as returned by {@link #publicKeys}). Malformed signatures simply do
     * not match.
     */
    public static boolean verifiesAny(List<PublicKey> keys, byte[] signature, byte[]... signed) {
        if (signature == null || signature.length == 0) {
            return false;
        }
        List<BigInteger[]> forms = new ArrayList<>(2);
        BigInteger[] der = der(signature);
        if (der != null) {
            forms.add(der);
        }
        if (signature.length == 64) {
            forms.add(new BigInteger[] {new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
                    new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))});
        }
        if (forms.isEmpty()) {
            return false;
        }
        byte[] hash = sha256(signed);
        boolean match = false;
        for (PublicKey key : keys) {
            ECPublicKeyParameters point = POINTS.computeIfAbsent(key,
                    k -> point(SubjectPublicKeyInfo.getInstance(k.getEncoded())));   // after the caches were cleared
            for (BigInteger[] rs : forms) {
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, point);
                match |= verifier.verifySignature(hash, rs[0], rs[1]);   // refuses r or s outside [1, n-1]
            }
        }
        return match;
    }

    /** decodePoint refuses a point that is not on the curve. */
    private static ECPublicKeyParameters point(SubjectPublicKeyInfo info) {
        return new ECPublicKeyParameters(P256.getCurve().decodePoint(info.getPublicKeyData().getBytes()), P256);
    }

    /** r and s of a strict DER signature (nothing trailing, minimal encodings); null when it is not one. */
    private static BigInteger[] der(byte[] signature) {
        try {
            if (ASN1Primitive.fromByteArray(signature) instanceof ASN1Sequence seq && seq.size() == 2
                    && seq.getObjectAt(0) instanceof ASN1Integer r && seq.getObjectAt(1) instanceof ASN1Integer s
                    && Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature)) {
                return new BigInteger[] {r.getValue(), s.getValue()};
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
