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

    public static byte[] click(String messageId, String recipient, String url) {
        return ("{\"RecordType\":\"Click\",\"MessageStream\":\"outbound\",\"ClickLocation\":\"HTML\",\"OriginalLink\":\"" + url
                + "\",\"MessageID\":\"" + messageId + "\",\"ReceivedAt\":\"2026-03-04T12:40:00.0000000Z\",\"Recipient\":\""
                + recipient + "\",\"UserAgent\":\"Mozilla/5.0\",\"Geo\":{\"IP\":\"203.0.113.5\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A record of another RecordType; Bounce records take a bounce Type. */
    public static byte[] record(String recordType, String bounceType, String messageId, String recipient) {
        String at = "\"2026-03-04T12:50:00.0000000Z\"";
        String body = switch (recordType) {
            case "Bounce" -> "\"RecordType\":\"Bounce\",\"ID\":" + Math.abs(messageId.hashCode()) + ",\"Type\":\"" + bounceType
                    + "\",\"Email\":\"" + recipient + "\",\"BouncedAt\":" + at + ",\"Description\":\"mailbox unknown\"";
            case "SpamComplaint" -> "\"RecordType\":\"SpamComplaint\",\"ID\":" + Math.abs(messageId.hashCode()) + ",\"Type\":\"SpamComplaint\","
                    + "\"Email\":\"" + recipient + "\",\"BouncedAt\":" + at;
            case "Open" -> "\"RecordType\":\"Open\",\"Recipient\":\"" + recipient + "\",\"ReceivedAt\":" + at;
            case "SubscriptionChange" -> "\"RecordType\":\"SubscriptionChange\",\"Recipient\":\"" + recipient
                    + "\",\"ChangedAt\":" + at + ",\"SuppressSending\":true,\"SuppressionReason\":\"ManualSuppression\"";
            default -> "\"RecordType\":\"Delivery\",\"Recipient\":\"" + recipient + "\",\"DeliveredAt\":" + at;
        };
        return ("{" + body + ",\"MessageID\":\"" + messageId + "\",\"MessageStream\":\"outbound\"}").getBytes(StandardCharsets.UTF_8);
    }
}
