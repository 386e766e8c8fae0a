package com.emaileventhub.verify;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * HTTP basic auth against configured credentials. Rotation: usernames and passwords are lists
 * paired by position; a single username pairs with every password (and vice versa).
 */
public final class BasicAuth {
    private BasicAuth() {
    }

    public static void check(String authorization, List<String> usernames, List<String> passwords) {
        if (usernames.isEmpty() || passwords.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no credentials are configured for this vendor");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "basic auth credentials are missing");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "basic auth credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
        String pass = colon >= 0 ? decoded.substring(colon + 1) : "";
        int n = Math.max(usernames.size(), passwords.size());
        boolean match = false;
        for (int i = 0; i < n; i++) {
            String u = usernames.get(Math.min(i, usernames.size() - 1));
            String p = passwords.get(Math.min(i, passwords.size() - 1));
            match |= Secrets.equal(u, user) & Secrets.equal(p, pass);
        }
        if (!match) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "basic auth credentials do not match");
        }
    }

    /** Bearer token check against rotated tokens. */
    public static void checkBearer(String authorization, List<String> tokens) {
        if (tokens.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED, "no token is configured for this vendor");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "bearer token is missing");
        }
        if (!Secrets.equalsAny(tokens, authorization.substring(7).trim())) {
            throw WebhookRejection.unauthorized(RejectionReason.BAD_SIGNATURE, "bearer token does not match");
        }
    }
}
