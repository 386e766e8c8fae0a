package com.emaileventhub.esp.ses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** SNS signing for tests outside this package (the route fuzzer): hub settings and signed notification bodies. */
public final class SnsSigning {
    private final SnsTestKeys keys = SnsTestKeys.get();

    /** hub.esp.ses.* settings that trust the test certificate (written into a new temporary folder). */
    public Map<String, String> hubConfig() throws IOException {
        Path certificates = Files.createTempDirectory("sns-certificates");
        keys.valid.writeTo(certificates, SnsEnvelope.CERT_NAME);
        return Map.of("hub.esp.ses.topic-arns", SnsEnvelope.TOPIC,
                "hub.esp.ses.certificate-dir", certificates.toString(),
                "hub.esp.ses.auto-confirm", "false");
    }

    /** A Notification envelope carrying {@code message}, signed as SNS signs it (version 1). */
    public byte[] notification(String message) {
        return SnsEnvelope.notification(message, Instant.now().minusSeconds(5))
                .set("MessageId", UUID.randomUUID().toString())
                .signedWith(keys.valid.privateKey()).body();
    }

    /** The same envelope without its Signature field: parseable, unsigned. */
    public byte[] unsignedNotification(String message) {
        return SnsEnvelope.notification(message, Instant.now().minusSeconds(5)).remove("Signature").body();
    }
}
