package com.emaileventhub.esp;

import static com.emaileventhub.esp.WebhookContract.Credential.basic;
import static com.emaileventhub.esp.WebhookContract.Credential.bearer;
import static com.emaileventhub.esp.WebhookContract.Credential.header;

import com.emaileventhub.esp.WebhookContract.Credential;
import com.emaileventhub.esp.brevo.BrevoVerifier;
import com.emaileventhub.esp.declared.DeclaredNormalizer;
import com.emaileventhub.esp.declared.DeclaredVerifier;
import com.emaileventhub.esp.mailgun.MailgunVerifier;
import com.emaileventhub.esp.mailjet.MailjetVerifier;
import com.emaileventhub.esp.mandrill.MandrillNormalizer;
import com.emaileventhub.esp.mandrill.MandrillVerifier;
import com.emaileventhub.esp.postmark.PostmarkVerifier;
import com.emaileventhub.esp.resend.ResendVerifier;
import com.emaileventhub.esp.sendgrid.SendGridVerifier;
import com.emaileventhub.esp.ses.SesNormalizer;
import com.emaileventhub.esp.ses.SesVerifier;
import com.emaileventhub.esp.sparkpost.SparkPostVerifier;
import com.emaileventhub.verify.BasicAuthVerifier;
import java.util.List;
import java.util.Map;

/**
 * The contract of a webhook route, from the parameters of its template (routes/webhooks/VENDOR.camel.yaml): the
 * verifier class of an esp-intake route, or the declaration of an esp-declared-intake route. The one place
 * that lists what each built-in verifier takes; header names come from the verifiers themselves.
 */
public final class WebhookContracts {
    private static final List<String> JSON = List.of("application/json");
    private static final List<List<Credential>> BASIC_OR_BEARER = List.of(List.of(basic()), List.of(bearer()));
    private static final WebhookContract CREDENTIALS_IN_URL = new WebhookContract(
            "HTTP basic auth (credentials put into the webhook URL) or a bearer token", BASIC_OR_BEARER, JSON,
            List.of("password", "token"));
    /** The keys any verifier not listed here might read. */
    private static final List<String> GENERIC_KEYS =
            List.of("secret", "password", "token", "signing-key", "webhook-key", "public-key");

    private static final Map<String, WebhookContract> BY_VERIFIER = Map.of(
            SendGridVerifier.class.getName(), new WebhookContract(
                    "ECDSA P-256 signature over the timestamp header followed by the raw body (Signed Event Webhook)",
                    List.of(List.of(header(SendGridVerifier.SIGNATURE_HEADER), header(SendGridVerifier.TIMESTAMP_HEADER))),
                    JSON, List.of("public-key")),
            MailgunVerifier.class.getName(), new WebhookContract(
                    "HMAC-SHA256 of timestamp and single-use token, in the body's signature object (nothing in the headers)",
                    List.of(), JSON, List.of("signing-key")),
            PostmarkVerifier.class.getName(), new WebhookContract(
                    "HTTP basic auth (credentials put into the webhook URL)", List.of(List.of(basic())), JSON, List.of("password")),
            SesVerifier.class.getName(), new WebhookContract(
                    "SNS message signature (RSA, certificate from SigningCertURL on sns.<region>.amazonaws.com) inside the body,"
                            + " from an allowed TopicArn; also answers SubscriptionConfirmation and UnsubscribeConfirmation",
                    List.of(), List.of(SesNormalizer.MEDIA_TYPES), List.of("topic-arns")),
            SparkPostVerifier.class.getName(), CREDENTIALS_IN_URL,
            MandrillVerifier.class.getName(), new WebhookContract(
                    "base64 HMAC-SHA1 over the registered webhook URL and the form fields sorted by name",
                    List.of(List.of(header(MandrillVerifier.SIGNATURE_HEADER))), List.of(MandrillNormalizer.MEDIA_TYPE),
                    List.of("webhook-key")),
            BrevoVerifier.class.getName(), CREDENTIALS_IN_URL,
            ResendVerifier.class.getName(), new WebhookContract(
                    "Standard Webhooks (Svix): HMAC-SHA256 over id.timestamp.body, 5-minute window",
                    WebhookContract.STANDARD_WEBHOOKS, JSON, List.of("secret")),
            MailjetVerifier.class.getName(), CREDENTIALS_IN_URL,
            BasicAuthVerifier.class.getName(), CREDENTIALS_IN_URL);

    private WebhookContracts() {
    }

    /**
     * The contract of a webhook route whose template was given these parameters (camelCase names): a declared
     * vendor's from its declaration, a built-in verifier's from the table, any other verifier's as unknown.
     * @throws IllegalArgumentException for a declaration that cannot work (start-up refuses it first)
     */
    public static WebhookContract of(Map<String, String> parameters) {
        String verification = parameters.get("verification");
        if (verification != null) {
            return declared(verification, parameters);
        }
        String verifier = parameters.getOrDefault("verifier", "");
        WebhookContract known = BY_VERIFIER.get(verifier);
        return known != null ? known : new WebhookContract("as " + verifier + " checks it", List.of(), List.of("*/*"),
                GENERIC_KEYS);
    }

    private static WebhookContract declared(String verification, Map<String, String> parameters) {
        DeclaredVerifier verifier = new DeclaredVerifier();
        verifier.setVerification(verification);
        verifier.setSignatureHeader(parameters.get("signatureHeader"));
        verifier.setTimestampHeader(parameters.get("timestampHeader"));
        verifier.setSignedContent(parameters.get("signedContent"));
        DeclaredNormalizer normalizer = new DeclaredNormalizer();
        normalizer.setContentType(parameters.get("contentType"));
        return new WebhookContract(verifier.summary(), verifier.alternatives(), normalizer.mediaTypes(), verifier.credentialKeys());
    }
}
