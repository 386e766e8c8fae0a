package com.emaileventhub.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.impl.KeyStoreHelper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * A certificate chain and its private key read from PEM files as ACME clients write them
 * (fullchain.pem + privkey.pem; the key in PKCS#8, PKCS#1 RSA or SEC1 EC form). Vert.x's own PEM
 * reader does the parsing, so the formats accepted are exactly those its TLS server accepts.
 */
record PemKeyMaterial(KeyStore keyStore, char[] password, X509Certificate leaf, Stamp stamp) {

    /** What identifies one version of the files on disk: a renewal changes it. */
    record Stamp(FileTime certModified, long certSize, FileTime keyModified, long keySize) {
        static Stamp of(Path cert, Path key) throws IOException {
            return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key), Files.size(key));
        }
    }

    static PemKeyMaterial load(Path certFile, Path keyFile) {
        try {
            Stamp stamp = Stamp.of(certFile, keyFile);
            Buffer cert = Buffer.buffer(Files.readAllBytes(certFile));
            Buffer key = Buffer.buffer(Files.readAllBytes(keyFile));
            KeyStore store = KeyStoreHelper.loadKeyCert(List.of(key), List.of(cert));
            String alias = store.aliases().nextElement();
            X509Certificate leaf = (X509Certificate) store.getCertificate(alias);
            // the store Vert.x builds protects its entry with this fixed password
            return new PemKeyMaterial(store, KeyStoreHelper.DUMMY_PASSWORD.toCharArray(), leaf, stamp);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the TLS certificate or key (" + certFile + ", " + keyFile + "): " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("the TLS certificate or key is not valid PEM (" + certFile + ", " + keyFile + "): " + e.getMessage(), e);
        }
    }

    KeyManagerFactory keyManagerFactory() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            return kmf;
        } catch (Exception e) {
            throw new IllegalStateException("the TLS key cannot be used: " + e.getMessage(), e);
        }
    }

    String describe() {
        return "serial " + leaf.getSerialNumber().toString(16) + ", subject " + leaf.getSubjectX500Principal().getName()
                + ", valid until " + leaf.getNotAfter().toInstant();
    }
}
