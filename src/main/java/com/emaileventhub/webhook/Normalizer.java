package com.emaileventhub.webhook;

import com.emaileventhub.event.CanonicalEvent;
import java.util.List;

/**
 * Turns one verified request into canonical events, in payload order. 415 for a wrong content
 * type, 400 (naming the field) when the body lacks the vendor's shape; one odd event inside an
 * otherwise good batch becomes an {@code unknown} event rather than failing the batch.
 */
public interface Normalizer {
    List<CanonicalEvent> normalize(WebhookRequest request);
}
