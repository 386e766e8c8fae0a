package com.emaileventhub.webhook;

/**
 * Proves a request came from the vendor, over the exact raw bytes, before anything is parsed
 * (unless the vendor's signature lives inside the body). Throws {@link WebhookRejection}: 401 for
 * anything about authenticity, 400/415 when an in-body signature cannot be reached.
 * Implementations are stateless apart from caches and take their keys from {@link WebhookRequest#settings()}.
 */
public interface Verifier {
    void verify(WebhookRequest request);
}
