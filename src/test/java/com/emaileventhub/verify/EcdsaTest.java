package com.emaileventhub.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** The BouncyCastle verification against the JDK's own: same answers, and no laxer about encodings. */
class EcdsaTest {
    private static final BigInteger N = new BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final KeyPair key = pair("secp256r1", null);
    private final List<java.security.PublicKey> keys = Ecdsa.publicKeys(encoded(key), "k");

    @Test
    void agrees_with_the_jdk_on_genuine_tampered_and_foreign_signatures() throws Exception {
        Random random = new Random(42);
        KeyPair other = pair("secp256r1", null);
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[random.nextInt(3000)];
            random.nextBytes(data);
            byte[] signature = sign(i % 3 == 0 ? other : key, "SHA256withECDSA", data);
            if (i % 5 == 1 && data.length > 0) {
                data[random.nextInt(data.length)] ^= 1;
            }
            boolean jdk = jdkVerify("SHA256withECDSA", data, signature);
            int cut = data.length / 2;
            assertThat(Ecdsa.verifiesAny(keys, signature, Arrays.copyOfRange(data, 0, cut),
                    Arrays.copyOfRange(data, cut, data.length))).as("signature %d", i).isEqualTo(jdk);
        }
    }

    @Test
    void verifies_the_raw_r_s_form_and_refuses_it_with_a_flipped_bit() throws Exception {
        byte[] data = "1700000000{\"event\":\"open\"}\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] raw = sign(key, "SHA256withECDSAinP1363Format", data);
        assertThat(Ecdsa.verifiesAny(keys, raw, data)).isTrue();
        raw[40] ^= 1;
        assertThat(Ecdsa.verifiesAny(keys, raw, data)).isFalse();
    }

    @Test
    void refuses_der_that_is_not_canonical_or_has_trailing_bytes() throws Exception {
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] der = sign(key, "SHA256withECDSA", data);
        assertThat(Ecdsa.verifiesAny(keys, der, data)).isTrue();

        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        assertThat(Ecdsa.verifiesAny(keys, trailing, data)).isFalse();

        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue().toByteArray();
        byte[] s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue().toByteArray();
        byte[] paddedR = new byte[r.length + 1];   // the same r with a superfluous leading zero
        System.arraycopy(r, 0, paddedR, 1, r.length);
        assertThat(Ecdsa.verifiesAny(keys, sequence(paddedR, s), data)).isFalse();
        assertThat(jdkVerify("SHA256withECDSA", data, sequence(paddedR, s))).isFalse();
        assertThat(Ecdsa.verifiesAny(keys, sequence(r, s), data)).isTrue();   // the hand-built encoding is right
    }

    @Test
    void refuses_r_or_s_outside_the_group_order() {
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] one = BigInteger.ONE.toByteArray();
        assertThat(Ecdsa.verifiesAny(keys, sequence(BigInteger.ZERO.toByteArray(), one), data)).isFalse();
        assertThat(Ecdsa.verifiesAny(keys, sequence(one, N.toByteArray()), data)).isFalse();
        assertThat(Ecdsa.verifiesAny(keys, new byte[64], data)).isFalse();
        assertThat(Ecdsa.verifiesAny(keys, new byte[] {0x30, 0x00}, data)).isFalse();
        assertThat(Ecdsa.verifiesAny(keys, new byte[0], data)).isFalse();
    }

    @Test
    void refuses_a_key_on_another_256_bit_curve_or_off_the_curve() {
        String k1 = encoded(pair("secp256k1", new BouncyCastleProvider()));
        assertThatThrownBy(() -> Ecdsa.parse(k1, "hub.esp.sendgrid.public-key"))
                .hasMessage("hub.esp.sendgrid.public-key (key 1): not an EC P-256 public key");

        byte[] der = key.getPublic().getEncoded();
        der[der.length - 1] ^= 1;   // the y coordinate no longer matches x
        String offCurve = Base64.getEncoder().encodeToString(der);
        assertThatThrownBy(() -> Ecdsa.parse(offCurve, "k"))
                .hasMessage("k (key 1): not a valid EC P-256 public key");
    }

    private static byte[] sequence(byte[] r, byte[] s) {
        byte[] out = new byte[2 + 2 + r.length + 2 + s.length];
        out[0] = 0x30;
        out[1] = (byte) (out.length - 2);
        out[2] = 0x02;
        out[3] = (byte) r.length;
        System.arraycopy(r, 0, out, 4, r.length);
        out[4 + r.length] = 0x02;
        out[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 6 + r.length, s.length);
        return out;
    }

    private boolean jdkVerify(String algorithm, byte[] data, byte[] signature) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key.getPublic());
        s.update(data);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static byte[] sign(KeyPair pair, String algorithm, byte[] data) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(pair.getPrivate());
        s.update(data);
        return s.sign();
    }

    private static String encoded(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    private static KeyPair pair(String curve, java.security.Provider provider) {
        try {
            KeyPairGenerator g = provider == null ? KeyPairGenerator.getInstance("EC")
                    : KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
