package com.emaileventhub.esp.mandrill;

import com.emaileventhub.verify.Hmac;
import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mandrill (Mailchimp Transactional): {@code X-Mandrill-Signature} is base64 HMAC-SHA1, keyed with the
 * webhook's authentication key ({@code hub.esp.mandrill.webhook-key}, comma-separated for rotation), over
 * the URL exactly as registered in Mandrill ({@code hub.esp.mandrill.webhook-url}; behind a proxy it is
 * not the URL the request arrived on) followed by every POST field name and value, sorted by name,
 * form-decoded as UTF-8. Nothing is timestamped, so a signature never expires; the journal's dedupe
 * catches replays. Mandrill's unsigned HEAD check at webhook creation is answered by the route.
 */
public final class MandrillVerifier implements Verifier {
    public static final String SIGNATURE_HEADER = "X-Mandrill-Signature";

    @Override
    public void verify(WebhookRequest request) {
        VendorSettings settings = request.settings();
        List<String> keys = settings.secrets("webhook-key");
        String url = settings.get("webhook-url");
        if (keys.isEmpty() || url == null) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "Mandrill needs both " + settings.key("webhook-key")
                    + " and " + settings.key("webhook-url") + " to verify signatures");
        }
        String signature = request.header(SIGNATURE_HEADER);
        if (signature == null) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, SIGNATURE_HEADER + " header is missing");
        }
        Map<String, List<String>> form;
        try {
            form = request.form();
        } catch (WebhookRejection e) {
            // an undecodable form cannot carry a valid signature: the failure is one of authenticity
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, SIGNATURE_HEADER + " does not match (form undecodable)");
        }
        byte[] signed = signedData(url, form).getBytes(StandardCharsets.UTF_8);
        List<byte[]> keyBytes = new ArrayList<>();
        keys.forEach(k -> keyBytes.add(k.getBytes(StandardCharsets.UTF_8)));
        if (!Hmac.matchesAny(Hmac.Algorithm.SHA1, keyBytes, signed, signature, Hmac.Encoding.BASE64)) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE,
                    SIGNATURE_HEADER + " does not match (check " + settings.key("webhook-url")
                            + ": it must be the URL exactly as registered in Mandrill)");
        }
    }

    /** URL, then name + value of each field in name order; a repeated name counts once with its last value (PHP). */
    static String signedData(String url, Map<String, List<String>> form) {
        StringBuilder sb = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, values) -> sb.append(name).append(values.get(values.size() - 1)));
        return sb.toString();
    }
}
