package com.emaileventhub.esp.resend;

import com.emaileventhub.verify.StandardWebhooksVerifier;

/**
 * Resend sends through Svix: HMAC-SHA256 over {@code svix-id.svix-timestamp.body} with the
 * {@code whsec_} secret in {@code hub.esp.resend.secret}, timestamp within {@code hub.esp.resend.tolerance}
 * (default PT5M). Retries are re-signed with a fresh timestamp, so the window can stay narrow.
 */
public final class ResendVerifier extends StandardWebhooksVerifier {
}
