package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.esp.VendorKeys;
import com.emaileventhub.support.TestDatabases;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A malformed vendor key stops start-up with a message that names the key and never repeats the value. */
class HubConfigVendorKeysTest {

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new HashMap<>();
        m.put("hub.db.url", TestDatabases.h2());
        m.put(key, value);
        return m;
    }

    private static void assertRefused(String key, String value) {
        assertThatThrownBy(() -> VendorKeys.validate(HubConfig.load(with(key, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    }

    @Test
    void refuses_a_sendgrid_key_that_is_not_an_ec_public_key() {
        assertRefused("hub.esp.sendgrid.public-key", "not-a-key-SECRET123");
        assertRefused("hub.esp.sendgrid.public-key", Base64.getEncoder().encodeToString("MFkwEwYHKoZIzj0CAQYIKoZI".getBytes()));
    }

    @Test
    void refuses_a_sendgrid_key_of_another_algorithm() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertRefused("hub.esp.sendgrid.public-key",
                Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded()));
    }

    @Test
    void accepts_sendgrid_keys_in_base64_der_and_rotated_lists() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String a = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
        String b = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
        assertThatCode(() -> VendorKeys.validate(HubConfig.load(with("hub.esp.sendgrid.public-key", a + "," + b)))).doesNotThrowAnyException();
    }

    @Test
    void refuses_a_resend_secret_that_is_not_whsec_base64_even_as_the_second_of_a_rotation() {
        assertRefused("hub.esp.resend.secret", "whsec_!!!not*base64!!!");
        assertRefused("hub.esp.resend.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw,whsec_%%%%");
        assertThatCode(() -> VendorKeys.validate(HubConfig.load(with("hub.esp.resend.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))))
                .doesNotThrowAnyException();
    }

    @Test
    void refuses_a_ses_tolerance_that_is_malformed_zero_negative_or_of_no_fixed_length() {
        assertRefused("hub.esp.ses.tolerance", "an hour");
        assertRefused("hub.esp.ses.tolerance", "PT0S");
        assertRefused("hub.esp.ses.tolerance", "-PT1H");
        assertRefused("hub.esp.ses.tolerance", "P1M");
        assertThatCode(() -> VendorKeys.validate(HubConfig.load(with("hub.esp.ses.tolerance", "P1W")))).doesNotThrowAnyException();
        assertThatCode(() -> VendorKeys.validate(HubConfig.load(with("hub.esp.ses.tolerance", "PT2H")))).doesNotThrowAnyException();
    }

    @Test
    void refuses_ses_topics_that_are_not_sns_topic_arns() {
        assertRefused("hub.esp.ses.topic-arns", "arn:aws:sns:us-east-1:123456789012:ok, ses-events");
        assertThatCode(() -> VendorKeys.validate(HubConfig.load(with("hub.esp.ses.topic-arns",
                "arn:aws:sns:us-east-1:123456789012:ses-events, arn:aws-cn:sns:cn-north-1:123456789012:x.fifo"))))
                .doesNotThrowAnyException();
    }
}
