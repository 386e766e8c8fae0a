package com.emaileventhub.esp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.webhook.VendorSettings;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Builds webhook requests as the intake route hands them to verifiers and normalizers: fluently
 * ({@code Requests.to("postmark").setting("username", "u").json().body("{...}")}) or in one call
 * ({@code Requests.request("brevo", body, headers, settings)}, settings named without the hub.esp.<vendor>. prefix).
 */
public final class Requests {
    /** The receive time of requests built in one call. */
    public static final Instant NOW = Instant.parse("2026-03-04T12:34:56.789Z");

    private final String vendor;
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private Instant receivedAt = Instant.parse("2024-03-04T12:00:00Z");

    private Requests(String vendor) {
        this.vendor = vendor;
    }

    public static Requests to(String vendor) {
        return new Requests(vendor);
    }

    /** A {@code hub.esp.<vendor>.<name>} setting. */
    public Requests setting(String name, String value) {
        settings.put("hub.esp." + vendor + "." + name, value);
        return this;
    }

    public Requests header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Requests json() {
        return header("Content-Type", "application/json");
    }

    public Requests receivedAt(Instant value) {
        receivedAt = value;
        return this;
    }

    public WebhookRequest body(String body) {
        return body(utf8(body));
    }

    public WebhookRequest body(byte[] body) {
        return new WebhookRequest(vendor, body, Map.copyOf(headers),
                new VendorSettings(vendor, Map.copyOf(settings)::get), receivedAt);
    }

    /** A request received at {@link #NOW}; settings are named without the {@code hub.esp.<vendor>.} prefix. */
    public static WebhookRequest request(String vendor, byte[] body, Map<String, String> headers,
                                         Map<String, String> settings) {
        return request(vendor, body, headers, settings, NOW);
    }

    public static WebhookRequest request(String vendor, byte[] body, Map<String, String> headers,
                                         Map<String, String> settings, Instant receivedAt) {
        Requests r = to(vendor).receivedAt(receivedAt);
        settings.forEach(r::setting);
        headers.forEach(r::header);
        return r.body(body);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The Authorization header value of HTTP basic auth. */
    public static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString(utf8(username + ":" + password));
    }

    /** Asserts the call is refused with the given status and reason label. */
    public static void assertRejected(ThrowingCallable call, int status, String reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(WebhookRejection.class, r -> {
                    Assertions.assertThat(r.status()).as("status of: " + r.getMessage())
                            .isEqualTo(status);
                    Assertions.assertThat(r.reason().label()).as("reason of: " + r.getMessage())
                            .isEqualTo(reason);
                });
    }
}
