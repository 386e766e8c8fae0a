package com.emaileventhub.esp;

import com.emaileventhub.intake.VendorSettings;
import com.emaileventhub.intake.WebhookRejection;
import com.emaileventhub.intake.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds webhook requests as the intake route hands them to verifiers and normalizers. */
public final class Requests {
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
        return body(body.getBytes(StandardCharsets.UTF_8));
    }

    public WebhookRequest body(byte[] body) {
        return new WebhookRequest(vendor, body, Map.copyOf(headers),
                new VendorSettings(vendor, Map.copyOf(settings)::get), receivedAt);
    }

    /** Asserts the call is refused with the given status and reason label. */
    public static void assertRejected(ThrowingCallable call, int status, String reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(WebhookRejection.class, r -> {
                    org.assertj.core.api.Assertions.assertThat(r.status()).as("status of: " + r.getMessage())
                            .isEqualTo(status);
                    org.assertj.core.api.Assertions.assertThat(r.reason()).as("reason of: " + r.getMessage())
                            .isEqualTo(reason);
                });
    }
}
