package com.emaileventhub.esp.postmark;

import static com.emaileventhub.esp.Requests.assertRejected;
import static com.emaileventhub.esp.Requests.basic;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.webhook.WebhookRequest;
import org.junit.jupiter.api.Test;

class PostmarkVerifierTest {
    private final PostmarkVerifier verifier = new PostmarkVerifier();

    @Test
    void accepts_the_configured_basic_auth_credentials() {
        assertThatCode(() -> verifier.verify(request("hook", "s3cret", basic("hook", "s3cret"))))
                .doesNotThrowAnyException();
    }

    @Test
    void accepts_the_second_of_two_rotated_passwords() {
        assertThatCode(() -> verifier.verify(request("hook", "old-pass,new-pass", basic("hook", "new-pass"))))
                .doesNotThrowAnyException();
    }

    @Test
    void rejects_a_wrong_password() {
        assertRejected(() -> verifier.verify(request("hook", "s3cret", basic("hook", "guess"))), 401, "bad_signature");
    }

    @Test
    void rejects_a_wrong_username() {
        assertRejected(() -> verifier.verify(request("hook", "s3cret", basic("other", "s3cret"))), 401, "bad_signature");
    }

    @Test
    void rejects_a_request_without_credentials() {
        assertRejected(() -> verifier.verify(request("hook", "s3cret", null)), 401, "missing_credentials");
    }

    @Test
    void rejects_bad_credentials_with_401_even_when_the_body_is_malformed() {
        WebhookRequest request = Requests.to("postmark").setting("username", "hook").setting("password", "s3cret")
                .json().header("Authorization", basic("hook", "nope")).body("{not json");
        assertRejected(() -> verifier.verify(request), 401, "bad_signature");
    }

    @Test
    void fails_closed_when_no_credentials_are_configured() {
        WebhookRequest request = Requests.to("postmark").json().header("Authorization", basic("hook", "s3cret"))
                .body(PostmarkPayloads.DELIVERY);
        assertRejected(() -> verifier.verify(request), 401, "not_configured");
    }

    private static WebhookRequest request(String username, String password, String authorization) {
        Requests r = Requests.to("postmark").setting("username", username).setting("password", password).json();
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return r.body(PostmarkPayloads.DELIVERY);
    }
}
