package com.emaileventhub.esp.declared;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.esp.WebhookContract;
import com.emaileventhub.esp.WebhookContract.Credential;
import com.emaileventhub.verify.BasicAuth;
import com.emaileventhub.verify.Hmac;
import com.emaileventhub.verify.StandardWebhooks;
import com.emaileventhub.verify.TimeWindow;
import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The verifier of a vendor declared in YAML alone (routes/declared-intake-template.camel.yaml): the
 * scheme and its shape come from the route file's parameters, the secrets from the vendor's
 * {@code hub.esp.<vendor>.*} keys ({@code secret}; {@code username}/{@code password}; {@code token}), so
 * they never sit in a route file. Configuration faults are found at start-up by {@link #init()}.
 */
public class DeclaredVerifier implements Verifier {
    /** The schemes a route file may declare. */
    enum Scheme { HMAC_SHA256, HMAC_SHA1, BASIC, BEARER, STANDARD_WEBHOOKS }

    /** How the configured secret becomes the HMAC key. */
    enum KeyEncoding { TEXT, BASE64, HEX }

    private Scheme scheme;
    private String signatureHeader;
    private String signedText = "{body}";
    private SignedContent signedContent = SignedContent.parse(signedText);
    private Hmac.Encoding signatureEncoding = Hmac.Encoding.HEX;
    private String signaturePrefix = "";
    private String timestampHeader;
    private Duration tolerance = Duration.ofMinutes(5);
    private KeyEncoding secretEncoding = KeyEncoding.TEXT;

    public void setVerification(String value) {
        scheme = parseEnum(Scheme.class, value, "verification", "hmac-sha256, hmac-sha1, basic, bearer or standard-webhooks");
    }

    public void setSignatureHeader(String value) {
        signatureHeader = blankToNull(value);
    }

    public void setSignedContent(String value) {
        signedText = blankToNull(value) == null ? "{body}" : value;
        signedContent = SignedContent.parse(signedText);
    }

    public void setSignatureEncoding(String value) {
        if (blankToNull(value) != null) {
            signatureEncoding = parseEnum(Hmac.Encoding.class, value, "signatureEncoding", "hex or base64");
        }
    }

    public void setSignaturePrefix(String value) {
        signaturePrefix = value == null ? "" : value.trim();
    }

    public void setTimestampHeader(String value) {
        timestampHeader = blankToNull(value);
    }

    public void setTolerance(String value) {
        if (blankToNull(value) == null) {
            return;
        }
        tolerance = HubConfig.parseDuration("tolerance", value);
        if (tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance: must be positive");
        }
    }

    public void setSecretEncoding(String value) {
        if (blankToNull(value) != null) {
            secretEncoding = parseEnum(KeyEncoding.class, value, "secretEncoding", "text, base64 or hex");
        }
    }

    /** Called by Camel once the properties are set: a declaration that cannot work stops start-up. */
    public void init() {
        if (scheme == null) {
            throw new IllegalArgumentException("verification must be declared: " +
                    "hmac-sha256, hmac-sha1, basic, bearer or standard-webhooks");
        }
        if (isHmac() && signatureHeader == null) {
            throw new IllegalArgumentException("verification " + wireName(scheme) + " needs signatureHeader");
        }
        if (isHmac() && signedContent.usesTimestamp() && timestampHeader == null) {
            throw new IllegalArgumentException("signedContent uses {timestamp} but no timestampHeader is declared");
        }
    }

    @Override
    public void verify(WebhookRequest request) {
        VendorSettings settings = request.settings();
        switch (scheme) {
            case BASIC -> BasicAuth.check(request.header("Authorization"), settings.secrets("username"),
                    settings.secrets("password"));
            case BEARER -> BasicAuth.checkBearer(request.header("Authorization"), settings.secrets("token"));
            case STANDARD_WEBHOOKS -> StandardWebhooks.verify(request, settings.secrets("secret"), settings.key("secret"),
                    settings.duration("tolerance", tolerance));
            default -> verifyHmac(request, settings);
        }
    }

    private void verifyHmac(WebhookRequest request, VendorSettings settings) {
        List<String> secrets = settings.secrets("secret");
        if (secrets.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no signing secret is configured ("
                    + settings.key("secret") + ")");
        }
        String presented = request.header(signatureHeader);
        if (presented == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, signatureHeader + " header is missing");
        }
        Instant signedAt = null;
        String timestamp = null;
        if (timestampHeader != null) {
            timestamp = request.header(timestampHeader);
            signedAt = TimeWindow.epochSeconds(timestamp, timestampHeader);
        }
        if (!signaturePrefix.isEmpty()) {
            if (!presented.regionMatches(true, 0, signaturePrefix, 0, signaturePrefix.length())) {
                throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, signatureHeader + " does not start with "
                        + signaturePrefix);
            }
            presented = presented.substring(signaturePrefix.length());
        }
        byte[] signed = signedContent.of(request, timestamp);
        Hmac.Algorithm algorithm = scheme == Scheme.HMAC_SHA1 ? Hmac.Algorithm.SHA1 : Hmac.Algorithm.SHA256;
        if (!Hmac.matchesAny(algorithm, keys(secrets, settings.key("secret")), signed, presented, signatureEncoding)) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, signatureHeader + " does not match the request");
        }
        if (signedAt != null) {
            TimeWindow.check(signedAt, settings.duration("tolerance", tolerance), request.receivedAt(), timestampHeader);
        }
    }

    /** The declaration in one line, as the OpenAPI document describes the route. */
    public String summary() {
        return switch (scheme) {
            case BASIC -> "HTTP basic auth";
            case BEARER -> "bearer token";
            case STANDARD_WEBHOOKS -> "Standard Webhooks: HMAC-SHA256 over id.timestamp.body";
            default -> wireName(scheme).toUpperCase(Locale.ROOT) + " (" + wireName(signatureEncoding) + ") of " + signedText
                    + " in header " + signatureHeader + (signaturePrefix.isEmpty() ? "" : " after " + signaturePrefix);
        } + " (declared in YAML)";
    }

    /** The credentials a request presents: one alternative, or the two header sets of Standard Webhooks. */
    public List<List<Credential>> alternatives() {
        return switch (scheme) {
            case BASIC -> List.of(List.of(Credential.basic()));
            case BEARER -> List.of(List.of(Credential.bearer()));
            case STANDARD_WEBHOOKS -> WebhookContract.STANDARD_WEBHOOKS;
            default -> List.of(timestampHeader == null ? List.of(Credential.header(signatureHeader))
                    : List.of(Credential.header(signatureHeader), Credential.header(timestampHeader)));
        };
    }

    /** The hub.esp.VENDOR.* key whose value configures the credentials. */
    public List<String> credentialKeys() {
        return List.of(switch (scheme) {
            case BASIC -> "password";
            case BEARER -> "token";
            default -> "secret";
        });
    }

    private List<byte[]> keys(List<String> secrets, String keyName) {
        List<byte[]> keys = new ArrayList<>();
        for (String secret : secrets) {
            try {
                keys.add(switch (secretEncoding) {
                    case TEXT -> secret.getBytes(StandardCharsets.UTF_8);
                    case BASE64 -> Base64.getDecoder().decode(secret);
                    case HEX -> HexFormat.of().parseHex(secret);
                });
            } catch (IllegalArgumentException e) {
                // a configuration fault, not the sender's: 500, so the vendor retries once it is fixed
                throw new IllegalStateException(keyName + ": not " + wireName(secretEncoding) + " as secretEncoding declares");
            }
        }
        return keys;
    }

    private boolean isHmac() {
        return scheme == Scheme.HMAC_SHA256 || scheme == Scheme.HMAC_SHA1;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String parameter, String allowed) {
        String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": '" + value + "' is not one of " + allowed);
        }
    }

    private static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
