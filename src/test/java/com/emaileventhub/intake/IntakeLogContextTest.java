package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.LogCapture;
import com.emaileventhub.support.Postmark;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Intake log lines name the vendor in their logging context (MDC), for text and JSON layouts alike. */
class IntakeLogContextTest {

    @Test
    void a_refused_webhook_is_logged_once_as_a_warning_with_the_vendor_in_its_context() {
        try (HubRunner hub = HubRunner.start(Map.of("hub.esp.postmark.username", Postmark.USER,
                "hub.esp.postmark.password", Postmark.PASSWORD));
             LogCapture log = LogCapture.of(Intake.class)) {
            HttpResponse<String> r = hub.post("/webhooks/postmark", "application/json",
                    Postmark.delivery("m-1", "ann@example.com"), "Authorization", Postmark.auth(Postmark.USER, "wrong"));
            assertThat(r.statusCode()).isEqualTo(401);

            assertThat(log.warningLines()).singleElement().satisfies(line -> {
                assertThat(line.context()).isEqualTo(Map.of("vendor", "postmark"));
                assertThat(line.message()).isEqualTo("postmark webhook refused (401 bad_signature): "
                        + "basic auth credentials do not match");
                assertThat(line.message()).doesNotContain("wrong");
            });
        }
    }

    @Test
    void an_accepted_webhook_writes_no_warning() {
        try (HubRunner hub = HubRunner.start(Map.of("hub.esp.postmark.username", Postmark.USER,
                "hub.esp.postmark.password", Postmark.PASSWORD));
             LogCapture log = LogCapture.of(Intake.class)) {
            HttpResponse<String> r = hub.post("/webhooks/postmark", "application/json",
                    Postmark.delivery("m-2", "bob@example.com"), "Authorization", Postmark.auth());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(log.warningLines()).isEmpty();
        }
    }
}
