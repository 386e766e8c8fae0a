package com.emaileventhub.verify;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/** X.509 certificates that vendors sign with (SNS today): parsing PEM or DER, and the validity-date check. */
public final class Certificates {
    private Certificates() {
    }

    /** Parses one PEM (or DER) X.509 certificate; IllegalArgumentException when the bytes hold none. */
    public static X509Certificate parse(byte[] pemOrDer) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(pemOrDer));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** 401 unless {@code now} lies within the certificate's notBefore..notAfter. */
    public static void checkValidity(X509Certificate certificate, Instant now, String what) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw WebhookRejection.unauthorized(RejectionReason.UNTRUSTED_SENDER, what + " has expired");
        } catch (CertificateNotYetValidException e) {
            throw WebhookRejection.unauthorized(RejectionReason.UNTRUSTED_SENDER, what + " is not valid yet");
        }
    }
}
