package com.emaileventhub.verify;

import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.util.List;

/**
 * The verifier of vendors that sign nothing and authenticate with credentials put into the
 * webhook configuration (SparkPost, Brevo, Mailjet, ...): HTTP basic auth against
 * {@code hub.esp.<vendor>.username} / {@code .password}, and a bearer token against
 * {@code hub.esp.<vendor>.token} when one is configured. Either configured scheme is accepted;
 * with neither configured every request is refused (fail closed). Usable directly by class name
 * for integrator-defined vendors that post with basic auth.
 */
public class BasicAuthVerifier implements Verifier {

    @Override
    public void verify(WebhookRequest request) {
        VendorSettings settings = request.settings();
        List<String> usernames = settings.secrets("username");
        List<String> passwords = settings.secrets("password");
        List<String> tokens = settings.secrets("token");
        boolean basicConfigured = !usernames.isEmpty() && !passwords.isEmpty();
        if (!basicConfigured && tokens.isEmpty()) {
            throw WebhookRejection.unauthorized(RejectionReason.NOT_CONFIGURED,
                    "no credentials are configured for this vendor (" + settings.key("username") + ", "
                            + settings.key("password") + " or " + settings.key("token") + ")");
        }
        String authorization = request.header("Authorization");
        boolean bearerPresented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!tokens.isEmpty() && (bearerPresented || !basicConfigured)) {
            BasicAuth.checkBearer(authorization, tokens);
        } else {
            BasicAuth.check(authorization, usernames, passwords);
        }
    }
}
