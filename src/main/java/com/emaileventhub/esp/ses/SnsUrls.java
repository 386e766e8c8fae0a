package com.emaileventhub.esp.ses;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URLs an SNS message asks the hub to call. Only SNS's own hosts are trusted ("not just something
 * from the amazonaws domain, which could include S3 buckets"), checked before anything is fetched.
 */
final class SnsUrls {
    /** The host rule of AWS's own message validators (PHP, .NET, JS): sns.<region>.amazonaws.com[.cn]. */
    static final Pattern SNS_HOST = Pattern.compile("^sns\\.[a-zA-Z0-9\\-]{3,}\\.amazonaws\\.com(\\.cn)?$");
    private static final Pattern PEM_FILE = Pattern.compile("[A-Za-z0-9._\\-]+\\.pem");

    private SnsUrls() {
    }

    /** The SigningCertURL, when it is an https URL of an SNS host naming a .pem file; else 401. */
    static URI signingCertificate(String url) {
        URI uri = snsHttps(url, "SigningCertURL", RejectionReason.UNTRUSTED_SENDER);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || !PEM_FILE.matcher(fileName(uri)).matches()) {
            throw WebhookRejection.unauthorized(RejectionReason.UNTRUSTED_SENDER, "SigningCertURL does not name a .pem certificate");
        }
        return uri;
    }

    /** The SubscribeURL of a confirmation, when it is an https URL of an SNS host; else 401. */
    static URI subscribe(String url) {
        return snsHttps(url, "SubscribeURL", RejectionReason.UNTRUSTED_SENDER);
    }

    /** The last path segment, which names the certificate in {@code hub.esp.ses.certificate-dir}. */
    static String fileName(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static URI snsHttps(String url, String field, RejectionReason reason) {
        if (url == null) {
            throw WebhookRejection.unauthorized(reason, field + " is missing");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw WebhookRejection.unauthorized(reason, field + " is not a valid URL");
        }
        boolean https = "https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT));
        boolean snsHost = uri.getHost() != null && SNS_HOST.matcher(uri.getHost()).matches();
        boolean plainAuthority = uri.getRawUserInfo() == null && (uri.getPort() == -1 || uri.getPort() == 443)
                && uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(uri.getHost()
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        if (!https || !snsHost || !plainAuthority) {
            throw WebhookRejection.unauthorized(reason, field + " is not an https URL of an SNS host");
        }
        return uri;
    }
}
