package com.emaileventhub.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for localhost / 127.0.0.1 written as an ACME client writes them. */
final class TestCertificates {
    /** PKCS#8 "PRIVATE KEY" (RSA), PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY". */
    enum KeyFormat { PKCS8_RSA, PKCS1_RSA, SEC1_EC }

    private static final Provider BC = new BouncyCastleProvider();

    private TestCertificates() {
    }

    /** Writes fullchain.pem and privkey.pem into dir (replacing them, as a renewal does) and returns the certificate. */
    static X509Certificate write(Path dir, KeyFormat format, long serial) throws Exception {
        KeyPair keys = keyPair(format);
        Instant now = Instant.now();
        // a subject per certificate: a client must never take one for the issuer of another
        X500Name subject = new X500Name("CN=hub-test-" + serial);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(serial), Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(90, ChronoUnit.DAYS)),
                subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        String algorithm = format == KeyFormat.SEC1_EC ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate())));
        Files.createDirectories(dir);
        replace(dir.resolve("fullchain.pem"), pem(cert));
        replace(dir.resolve("privkey.pem"), format == KeyFormat.PKCS8_RSA
                ? pem(new JcaPKCS8Generator(keys.getPrivate(), null))
                : pem(keys.getPrivate()));   // JcaPEMWriter writes the traditional PKCS#1 / SEC1 forms
        return cert;
    }

    /** A client context that trusts exactly these certificates. */
    static SSLContext trusting(X509Certificate... certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            store.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyPair keyPair(KeyFormat format) throws Exception {
        if (format == KeyFormat.SEC1_EC) {
            // the BC provider's keys carry their curve, so the SEC1 PEM names it (as openssl and certbot write it)
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** Rewrites the file and moves its modification time on, so a renewal within the same second is seen too. */
    private static void replace(Path file, String content) throws IOException {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        if (before != null) {
            Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(2)));
        }
    }
}
