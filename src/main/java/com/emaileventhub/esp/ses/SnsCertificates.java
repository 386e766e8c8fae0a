package com.emaileventhub.esp.ses;

import com.emaileventhub.verify.Certificates;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SNS signing certificates by SigningCertURL (already validated by {@link SnsUrls}): first from the
 * trusted certificate folder, else fetched over HTTPS. Parsed certificates are cached, bounded, per
 * folder and URL; their validity dates are checked on every use.
 */
final class SnsCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(SnsCertificates.class);
    private static final int MAX_CACHED = 64;

    private final SnsFetcher fetcher;
    private final Map<String, X509Certificate> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
                    return size() > MAX_CACHED;
                }
            });

    SnsCertificates(SnsFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** The certificate at {@code url}, valid at {@code now}; 401 when it cannot be had or is not valid. */
    X509Certificate get(URI url, String certificateDir, Instant now) {
        String key = (certificateDir == null ? "" : certificateDir) + '\n' + url;
        X509Certificate certificate = cache.get(key);
        if (certificate == null) {
            // two concurrent first requests may both load it; that is cheaper than holding a lock over a fetch
            certificate = load(url, certificateDir);
            cache.put(key, certificate);
        }
        Certificates.checkValidity(certificate, now, "SNS signing certificate");
        return certificate;
    }

    private X509Certificate load(URI url, String certificateDir) {
        if (certificateDir != null) {
            Path file = Path.of(certificateDir).resolve(SnsUrls.fileName(url));
            if (Files.isRegularFile(file)) {
                try {
                    return Certificates.parse(Files.readAllBytes(file));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("trusted SNS certificate {} cannot be read: {}", file, e.getMessage());
                    throw rejected("the trusted copy of the SNS signing certificate cannot be read");
                }
            }
        }
        return fetch(url);
    }

    private X509Certificate fetch(URI url) {
        SnsFetcher.Response response;
        try {
            response = fetcher.get(url);
        } catch (IOException e) {
            if (unresolvable(e)) {
                // an SNS-looking host that does not exist says more about the request than about our network
                throw rejected("the SNS signing certificate host does not resolve");
            }
            LOG.warn("SNS signing certificate could not be fetched from {}: {}", url.getHost(), e.toString());
            throw WebhookRejection.unavailable("the SNS signing certificate could not be fetched; try again later");
        }
        if (response.status() != 200) {
            throw rejected("the SNS signing certificate could not be fetched (HTTP " + response.status() + ")");
        }
        try {
            return Certificates.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw rejected("SigningCertURL did not return an X.509 certificate");
        }
    }

    private static boolean unresolvable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static WebhookRejection rejected(String message) {
        return WebhookRejection.unauthorized(RejectionReason.CERTIFICATE_UNAVAILABLE, message);
    }
}
