package com.emaileventhub.esp.mailjet;

import com.emaileventhub.verify.BasicAuthVerifier;

/**
 * Mailjet signs nothing; its documentation recommends basic-auth credentials in the HTTPS event URL,
 * checked against {@code hub.esp.mailjet.username} / {@code .password}.
 */
public final class MailjetVerifier extends BasicAuthVerifier {
}
