package com.emaileventhub.event;

import java.util.Locale;

/**
 * What makes a send (one message to one recipient at one ESP) and its dimensions, as the insight contract
 * defines them: the send key, the recipient domain and the mailbox provider.
 */
public final class Sends {
    public static final String SENDGRID = "sendgrid";

    private Sends() {
    }

    /** An event belongs to a send only with both a message id and a recipient. */
    public static boolean belongsToSend(CanonicalEvent e) {
        return e.messageId() != null && e.recipient() != null;
    }

    /** The message id, except SendGrid's: the part of sg_message_id before its first '.' (the X-Message-Id). */
    public static String sendKey(String esp, String messageId) {
        if (messageId == null) {
            return null;
        }
        if (SENDGRID.equals(esp)) {
            int dot = messageId.indexOf('.');
            return dot < 0 ? messageId : messageId.substring(0, dot);
        }
        return messageId;
    }

    /** The part after the last '@', or null when there is no recipient or no domain. */
    public static String recipientDomain(String recipient) {
        if (recipient == null) {
            return null;
        }
        int at = recipient.lastIndexOf('@');
        return at < 0 || at == recipient.length() - 1 ? null : recipient.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** gmail, yahoo, microsoft, apple or other from the recipient domain; null without a domain. */
    public static String mailboxProvider(String domain) {
        if (domain == null) {
            return null;
        }
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            return "gmail";
        }
        if (domain.startsWith("yahoo.") || domain.equals("ymail.com") || domain.equals("aol.com")) {
            return "yahoo";
        }
        if (domain.startsWith("outlook.") || domain.startsWith("hotmail.") || domain.startsWith("live.")
                || domain.equals("msn.com")) {
            return "microsoft";
        }
        if (domain.equals("icloud.com") || domain.equals("me.com") || domain.equals("mac.com")) {
            return "apple";
        }
        return "other";
    }
}
