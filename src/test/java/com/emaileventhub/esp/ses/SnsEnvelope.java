package com.emaileventhub.esp.ses;

import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds SNS HTTP messages as AWS posts them (field names and order of the SNS developer guide) and
 * signs them the way SNS does. The string to sign is written out here independently of the production
 * code, so that a shared mistake cannot make both sides agree.
 */
final class SnsEnvelope {
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";
    static final String CERT_NAME = "SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
    static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/" + CERT_NAME;
    static final String SUBSCRIBE_URL = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription"
            + "&TopicArn=arn:aws:sns:us-east-1:123456789012:ses-events&Token=2336412f37fb687f5d51e6e241d09c805a5a57b3";

    private static final List<String> NOTIFICATION_KEYS =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> CONFIRMATION_KEYS =
            List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    private final Map<String, String> fields = new LinkedHashMap<>();

    static SnsEnvelope notification(String message, Instant timestamp) {
        SnsEnvelope e = new SnsEnvelope();
        e.fields.put("Type", "Notification");
        e.fields.put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
        e.fields.put("TopicArn", TOPIC);
        e.fields.put("Message", message);
        e.fields.put("Timestamp", timestamp.toString());
        e.fields.put("SignatureVersion", "1");
        e.fields.put("Signature", "");
        e.fields.put("SigningCertURL", CERT_URL);
        e.fields.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"
                + "&SubscriptionArn=" + TOPIC + ":c9135db0-26c4-47ec-8998-413945fb5a96");
        return e;
    }

    static SnsEnvelope confirmation(String type, Instant timestamp) {
        SnsEnvelope e = new SnsEnvelope();
        e.fields.put("Type", type);
        e.fields.put("MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b");
        e.fields.put("Token", "2336412f37fb687f5d51e6e241d09c805a5a57b3");
        e.fields.put("TopicArn", TOPIC);
        e.fields.put("Message", "You have chosen to subscribe to the topic " + TOPIC
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        e.fields.put("SubscribeURL", SUBSCRIBE_URL);
        e.fields.put("Timestamp", timestamp.toString());
        e.fields.put("SignatureVersion", "1");
        e.fields.put("Signature", "");
        e.fields.put("SigningCertURL", CERT_URL);
        return e;
    }

    SnsEnvelope set(String field, String value) {
        fields.put(field, value);
        return this;
    }

    SnsEnvelope remove(String field) {
        fields.remove(field);
        return this;
    }

    String get(String field) {
        return fields.get(field);
    }

    /** Signs the current fields with SignatureVersion's algorithm (1 = SHA1withRSA, 2 = SHA256withRSA). */
    SnsEnvelope signedWith(PrivateKey key) {
        StringBuilder toSign = new StringBuilder();
        for (String k : "Notification".equals(fields.get("Type")) ? NOTIFICATION_KEYS : CONFIRMATION_KEYS) {
            if (fields.containsKey(k)) {
                toSign.append(k).append('\n').append(fields.get(k)).append('\n');
            }
        }
        try {
            boolean v2 = "2".equals(fields.get("SignatureVersion"));
            Signature s = Signature.getInstance(v2 ? "SHA256withRSA" : "SHA1withRSA");
            s.initSign(key);
            s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
            fields.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    byte[] body() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request as SNS posts it: text/plain JSON with the x-amz-sns-* headers. */
    WebhookRequest request(Map<String, String> settings, Instant receivedAt) {
        return request(body(), "text/plain; charset=UTF-8", settings, receivedAt);
    }

    WebhookRequest request(byte[] body, String contentType, Map<String, String> settings, Instant receivedAt) {
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("x-amz-sns-message-type", fields.get("Type"));
        headers.put("x-amz-sns-message-id", fields.get("MessageId"));
        headers.put("x-amz-sns-topic-arn", fields.get("TopicArn"));
        headers.put("User-Agent", "Amazon Simple Notification Service Agent");
        return new WebhookRequest("ses", body, headers, new VendorSettings("ses", settings::get), receivedAt);
    }
}
