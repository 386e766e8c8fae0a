package com.emaileventhub.esp.ses;

import com.emaileventhub.verify.PublicKeySignature;
import com.emaileventhub.verify.TimeWindow;
import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Amazon SES through SNS: the signature is inside the body (so an unparsable body is 400), RSA over a
 * canonical string, with the certificate named by SigningCertURL. Checks, cheapest and fetch-free first:
 * envelope shape, SigningCertURL, allowed TopicArn, Timestamp window, then certificate and signature.
 * A verified SubscriptionConfirmation is confirmed here when {@code hub.esp.ses.auto-confirm} is true,
 * so that nothing unverified can ever make the hub call out.
 */
public final class SesVerifier implements Verifier {
    static final Duration DEFAULT_TOLERANCE = Duration.ofHours(1);

    private final SnsCertificates certificates;
    private final SubscriptionConfirmer confirmer;

    public SesVerifier() {
        this(new HttpsFetcher());
    }

    /** Tests replace the network: the fetcher serves certificates and receives confirmations. */
    SesVerifier(SnsFetcher fetcher) {
        this.certificates = new SnsCertificates(fetcher);
        this.confirmer = new SubscriptionConfirmer(fetcher);
    }

    @Override
    public void verify(WebhookRequest request) {
        request.requireMediaType(SesNormalizer.MEDIA_TYPES);
        SnsMessage sns = SnsMessage.parse(request);
        VendorSettings settings = request.settings();

        String algorithm = algorithm(sns.signatureVersion());
        byte[] signature = PublicKeySignature.base64(sns.signature());
        if (signature == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "Signature is missing or not base64");
        }
        URI certificateUrl = SnsUrls.signingCertificate(sns.signingCertUrl());
        checkTopic(sns.topicArn(), settings.secrets("topic-arns"));
        TimeWindow.check(sns.signedAt(), settings.duration("tolerance", DEFAULT_TOLERANCE), request.receivedAt(),
                "SNS Timestamp");

        X509Certificate certificate = certificates.get(certificateUrl, settings.get("certificate-dir"),
                request.receivedAt());
        if (!PublicKeySignature.verify(algorithm, certificate.getPublicKey(), sns.stringToSign(), signature)) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "SNS signature does not match the message");
        }

        if (sns.type() == SnsMessage.Type.SubscriptionConfirmation) {
            URI subscribeUrl = SnsUrls.subscribe(sns.subscribeUrl());
            if (settings.bool("auto-confirm", false)) {
                confirmer.confirm(subscribeUrl, sns.topicArn());
            }
        }
    }

    private static String algorithm(String signatureVersion) {
        if (signatureVersion == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "SignatureVersion is missing");
        }
        return switch (signatureVersion) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE,
                    "SignatureVersion is not supported (1 or 2 are)");
        };
    }

    /** Fail closed: without configured topics nothing is accepted; a valid AWS signature alone proves nothing. */
    private static void checkTopic(String topicArn, List<String> allowed) {
        if (allowed.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no SNS topic ARNs are configured for ses");
        }
        if (!allowed.contains(topicArn)) {
            throw WebhookRejection.unauthorized(RejectionReason.UNTRUSTED_SENDER, "TopicArn is not an allowed SNS topic");
        }
    }
}
