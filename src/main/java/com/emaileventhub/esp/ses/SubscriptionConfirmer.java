package com.emaileventhub.esp.ses;

import com.emaileventhub.webhook.WebhookRejection;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirms an SNS subscription by visiting its SubscribeURL. Only called for verified confirmations of
 * allowed topics. The URL carries the confirmation token, so only the topic is logged.
 */
final class SubscriptionConfirmer {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionConfirmer.class);

    private final SnsFetcher fetcher;

    SubscriptionConfirmer(SnsFetcher fetcher) {
        this.fetcher = fetcher;
    }

    void confirm(URI subscribeUrl, String topicArn) {
        SnsFetcher.Response response;
        try {
            response = fetcher.get(subscribeUrl);
        } catch (IOException e) {
            // 503 so that SNS delivers the confirmation again; a 4xx would count as delivered
            LOG.warn("SNS subscription to {} could not be confirmed: {}", topicArn, e.toString());
            throw WebhookRejection.unavailable("the SNS subscription could not be confirmed; try again later");
        }
        if (response.ok()) {
            LOG.info("confirmed SNS subscription to {}", topicArn);
        } else {
            // SNS refused (expired or already used token): retrying would not help, confirm in the AWS console
            LOG.warn("SNS refused to confirm the subscription to {} (HTTP {})", topicArn, response.status());
        }
    }
}
