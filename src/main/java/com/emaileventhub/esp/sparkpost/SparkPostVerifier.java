package com.emaileventhub.esp.sparkpost;

import com.emaileventhub.verify.BasicAuthVerifier;

/**
 * SparkPost signs nothing: its webhooks carry the basic-auth credentials (auth_type "basic") set on
 * the webhook, checked against {@code hub.esp.sparkpost.username} / {@code .password}.
 */
public final class SparkPostVerifier extends BasicAuthVerifier {
}
