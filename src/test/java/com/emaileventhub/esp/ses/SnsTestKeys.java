package com.emaileventhub.esp.ses;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * RSA signing keys with self-signed X.509 certificates, made once per test run with the JDK's keytool
 * (the JDK has no public API that writes certificates): one valid for years, one that expired long ago.
 */
final class SnsTestKeys {
    private static final String PASSWORD = "changeit";
    private static SnsTestKeys instance;

    final Key valid;
    final Key expired;
    /** A key that SNS never used: signatures made with it must not verify against {@link #valid}'s certificate. */
    final PrivateKey stranger;

    record Key(PrivateKey privateKey, X509Certificate certificate) {
        String pem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        void writeTo(Path dir, String fileName) throws IOException {
            Files.writeString(dir.resolve(fileName), pem(), StandardCharsets.US_ASCII);
        }
    }

    static synchronized SnsTestKeys get() {
        if (instance == null) {
            try {
                instance = new SnsTestKeys();
            } catch (Exception e) {
                throw new IllegalStateException("test keys could not be generated", e);
            }
        }
        return instance;
    }

    private SnsTestKeys() throws Exception {
        Path dir = Files.createTempDirectory("sns-test-keys");
        Path store = dir.resolve("keys.p12");
        keytool(store, "valid", "-validity", "3650");
        keytool(store, "expired", "-startdate", "-400d", "-validity", "30");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        valid = key(ks, "valid");
        expired = key(ks, "expired");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        stranger = generator.generateKeyPair().getPrivate();
    }

    private static Key key(KeyStore ks, String alias) throws Exception {
        return new Key((PrivateKey) ks.getKey(alias, PASSWORD.toCharArray()),
                (X509Certificate) ks.getCertificate(alias));
    }

    private static void keytool(Path store, String alias, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=sns.us-east-1.amazonaws.com test", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
