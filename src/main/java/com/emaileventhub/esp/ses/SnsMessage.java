package com.emaileventhub.esp.ses;

import com.emaileventhub.event.Timestamps;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * One SNS HTTP(S) message as posted to the hub (the JSON envelope), with the exact string SNS signs.
 * Values are the JSON-decoded strings: SNS signs the unescaped Message and Subject.
 */
record SnsMessage(Type type, String messageId, String topicArn, String subject, String message, String timestamp,
                  Instant signedAt, String token, String subscribeUrl, String signatureVersion, String signature,
                  String signingCertUrl) {

    enum Type { Notification, SubscriptionConfirmation, UnsubscribeConfirmation }

    /** Parses the envelope of a request; 400 naming the field when the body is not an SNS message. */
    static SnsMessage parse(WebhookRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw WebhookRejection.badRequest("body is not an SNS message: expected a JSON object");
        }
        String typeName = required(body, "Type");
        Type type;
        try {
            type = Type.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.badRequest("SNS message field 'Type' is not Notification, "
                    + "SubscriptionConfirmation or UnsubscribeConfirmation");
        }
        boolean confirmation = type != Type.Notification;
        String timestamp = required(body, "Timestamp");
        SnsMessage message = new SnsMessage(type, required(body, "MessageId"), required(body, "TopicArn"),
                confirmation ? null : optional(body, "Subject"), required(body, "Message"), timestamp,
                instant(timestamp),
                confirmation ? required(body, "Token") : null, confirmation ? required(body, "SubscribeURL") : null,
                optional(body, "SignatureVersion"), optional(body, "Signature"), optional(body, "SigningCertURL"));
        message.checkHeaders(request);
        return message;
    }

    /** The string to sign: "Key\nvalue\n" for each signed key, in SNS's byte order; Subject only when present. */
    byte[] stringToSign() {
        StringBuilder sb = new StringBuilder();
        append(sb, "Message", message);
        append(sb, "MessageId", messageId);
        if (type == Type.Notification) {
            if (subject != null) {
                append(sb, "Subject", subject);
            }
            append(sb, "Timestamp", timestamp);
        } else {
            append(sb, "SubscribeURL", subscribeUrl);
            append(sb, "Timestamp", timestamp);
            append(sb, "Token", token);
        }
        append(sb, "TopicArn", topicArn);
        append(sb, "Type", type.name());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** SNS also names type, id and topic in headers; a request whose headers contradict its body is not SNS's. */
    private void checkHeaders(WebhookRequest request) {
        List<String[]> pairs = List.of(
                new String[] {"x-amz-sns-message-type", type.name(), "Type"},
                new String[] {"x-amz-sns-message-id", messageId, "MessageId"},
                new String[] {"x-amz-sns-topic-arn", topicArn, "TopicArn"});
        for (String[] p : pairs) {
            String header = request.header(p[0]);
            if (header != null && !header.equals(p[1])) {
                throw WebhookRejection.badRequest("header " + p[0] + " does not match the body's " + p[2]);
            }
        }
    }

    private static void append(StringBuilder sb, String key, String value) {
        sb.append(key).append('\n').append(value).append('\n');
    }

    private static String required(JsonNode body, String field) {
        String value = optional(body, field);
        if (value == null) {
            throw WebhookRejection.badRequest("SNS message field '" + field + "' is missing");
        }
        return value;
    }

    /** A string field; null when absent or JSON null; 400 when it holds anything but a string. */
    private static String optional(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw WebhookRejection.badRequest("SNS message field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static Instant instant(String timestamp) {
        try {
            return Timestamps.fromIso(timestamp);
        } catch (DateTimeException e) {
            throw WebhookRejection.badRequest("SNS message field 'Timestamp' is not an ISO-8601 timestamp");
        }
    }
}
