package com.emaileventhub.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.WebhookContract.Credential;
import com.emaileventhub.esp.mailgun.MailgunVerifier;
import com.emaileventhub.esp.sendgrid.SendGridVerifier;
import com.emaileventhub.verify.BasicAuthVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of a webhook route, read from its template parameters as the route file gives them. */
class WebhookContractsTest {

    @Test
    void a_built_in_verifier_gives_its_headers_keys_and_media_types() {
        WebhookContract sendgrid = WebhookContracts.of(Map.of("vendor", "sendgrid", "verifier", SendGridVerifier.class.getName()));
        assertThat(sendgrid.alternatives()).containsExactly(List.of(
                Credential.header("X-Twilio-Email-Event-Webhook-Signature"), Credential.header("X-Twilio-Email-Event-Webhook-Timestamp")));
        assertThat(sendgrid.credentialKeys()).containsExactly("public-key");
        assertThat(sendgrid.mediaTypes()).containsExactly("application/json");
        WebhookContract mailgun = WebhookContracts.of(Map.of("verifier", MailgunVerifier.class.getName()));
        assertThat(mailgun.alternatives()).as("signed inside the body").isEmpty();
        assertThat(mailgun.credentialKeys()).containsExactly("signing-key");
    }

    @Test
    void the_shared_basic_auth_verifier_used_by_class_name_takes_basic_or_bearer() {
        WebhookContract contract = WebhookContracts.of(Map.of("vendor", "acme", "verifier", BasicAuthVerifier.class.getName()));
        assertThat(contract.alternatives()).containsExactly(List.of(Credential.basic()), List.of(Credential.bearer()));
        assertThat(contract.credentialKeys()).containsExactly("password", "token");
    }

    @Test
    void a_declaration_gives_the_headers_it_signs_with_and_its_one_key() {
        WebhookContract hmac = WebhookContracts.of(Map.of("verification", "hmac-sha1", "signatureHeader", "X-Sig",
                "timestampHeader", "X-Time", "signedContent", "{timestamp}{body}", "contentType", "application/json,text/plain"));
        assertThat(hmac.alternatives()).containsExactly(List.of(Credential.header("X-Sig"), Credential.header("X-Time")));
        assertThat(hmac.credentialKeys()).containsExactly("secret");
        assertThat(hmac.mediaTypes()).containsExactly("application/json", "text/plain");
        assertThat(hmac.summary()).isEqualTo("HMAC-SHA1 (hex) of {timestamp}{body} in header X-Sig (declared in YAML)");

        WebhookContract svix = WebhookContracts.of(Map.of("verification", "standard-webhooks"));
        assertThat(svix.alternatives()).isEqualTo(WebhookContract.STANDARD_WEBHOOKS);
        assertThat(svix.alternatives().get(1)).extracting(Credential::header)
                .containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(svix.mediaTypes()).containsExactly("application/json");

        assertThat(WebhookContracts.of(Map.of("verification", "basic")).credentialKeys()).containsExactly("password");
        assertThat(WebhookContracts.of(Map.of("verification", "bearer")).alternatives()).containsExactly(List.of(Credential.bearer()));
        assertThatThrownBy(() -> WebhookContracts.of(Map.of("verification", "md5"))).hasMessageContaining("verification");
    }

    @Test
    void an_unknown_verifier_claims_nothing_it_cannot_know() {
        WebhookContract contract = WebhookContracts.of(Map.of("verifier", "com.example.AcmeVerifier"));
        assertThat(contract.alternatives()).isEmpty();
        assertThat(contract.mediaTypes()).containsExactly("*/*");
        assertThat(contract.summary()).isEqualTo("as com.example.AcmeVerifier checks it");
        assertThat(contract.credentialKeys()).contains("secret", "password", "token");
    }
}
