package com.emaileventhub.verify;

import com.emaileventhub.webhook.Verifier;
import com.emaileventhub.webhook.WebhookRequest;
import java.time.Duration;

/**
 * Verifier for vendors that send through Svix / Standard Webhooks: secrets in
 * {@code hub.esp.<vendor>.secret} (comma-separated for rotation), tolerance in
 * {@code hub.esp.<vendor>.tolerance} (default PT5M, as the Svix libraries).
 */
public class StandardWebhooksVerifier implements Verifier {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    @Override
    public void verify(WebhookRequest request) {
        var settings = request.settings();
        StandardWebhooks.verify(request, settings.secrets("secret"), settings.key("secret"),
                settings.duration("tolerance", DEFAULT_TOLERANCE));
    }
}
