package com.emaileventhub.esp.postmark;

import com.emaileventhub.verify.BasicAuth;
import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.WebhookRequest;

/**
 * Postmark signs nothing: its webhooks authenticate with HTTP basic auth credentials embedded in
 * the configured URL ({@code https://user:pass@host/webhooks/postmark}), checked in constant time.
 */
public final class PostmarkVerifier implements Verifier {
    public PostmarkVerifier() {
    }

    @Override
    public void verify(WebhookRequest request) {
        BasicAuth.check(request.header("Authorization"), request.settings().secrets("username"),
                request.settings().secrets("password"));
    }
}
