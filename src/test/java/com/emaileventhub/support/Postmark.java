package com.emaileventhub.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Postmark webhook bodies shaped as Postmark documents them, and the basic-auth header. */
public final class Postmark {
    public static final String USER = "postmark-hook";
    public static final String PASSWORD = "pm-s3cret";

    private Postmark() {
    }

    public static String auth() {
        return auth(USER, PASSWORD);
    }

    public static String auth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] delivery(String messageId, String recipient) {
        return ("{\"RecordType\":\"Delivery\",\"ServerID\":23,\"MessageStream\":\"outbound\",\"MessageID\":\"" + messageId
                + "\",\"Recipient\":\"" + recipient + "\",\"Tag\":\"welcome-email\",\"DeliveredAt\":\"2026-03-04T12:34:56.7891234Z\","
                + "\"Details\":\"Test delivery webhook details\",\"Metadata\":{\"a_key\":\"a_value\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
