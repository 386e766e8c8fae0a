package com.emaileventhub.esp.brevo;

import com.emaileventhub.verify.BasicAuthVerifier;

/**
 * Brevo signs nothing: a webhook carries either basic-auth credentials put into its URL
 * ({@code hub.esp.brevo.username} / {@code .password}) or the bearer token defined when it was created
 * ({@code hub.esp.brevo.token}); whichever is configured is accepted.
 */
public final class BrevoVerifier extends BasicAuthVerifier {
}
