package com.emaileventhub.esp;

import com.emaileventhub.intake.VendorSettings;
import com.emaileventhub.intake.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Builds webhook requests the way the intake route hands them to verifiers and normalizers. */
public final class EspRequests {
    public static final Instant NOW = Instant.parse("2026-03-04T12:34:56.789Z");

    private EspRequests() {
    }

    public static WebhookRequest request(String vendor, byte[] body, Map<String, String> headers,
                                         Map<String, String> settings) {
        return request(vendor, body, headers, settings, NOW);
    }

    public static WebhookRequest request(String vendor, byte[] body, Map<String, String> headers,
                                         Map<String, String> settings, Instant receivedAt) {
        Map<String, String> keyed = new HashMap<>();
        settings.forEach((k, v) -> keyed.put("hub.esp." + vendor + "." + k, v));
        return new WebhookRequest(vendor, body, headers, new VendorSettings(vendor, keyed::get), receivedAt);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString(utf8(username + ":" + password));
    }
}
