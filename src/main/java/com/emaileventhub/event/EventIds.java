package com.emaileventhub.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The deterministic event id: first 32 hex chars of SHA-256 over
 * esp, type, message_id, recipient, occurred_at, url, stable_id joined by newlines (null as empty).
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(String esp, EventType type, String messageId, String recipient, Instant occurredAt,
                            String url, String stableId) {
        String joined = String.join("\n",
                nz(esp), type.wireName(), nz(messageId), nz(recipient), nz(Timestamps.format(occurredAt)), nz(url),
                nz(stableId));
        return hash(joined);
    }

    /** First 32 hex chars of SHA-256 over the text's UTF-8 bytes: the ids and keys the hub derives from text. */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
