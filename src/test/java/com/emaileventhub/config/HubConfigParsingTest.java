package com.emaileventhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.webhook.VendorSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One parsing rule per kind of value, whether a hub key, a vendor key or a YAML declaration reads it. */
class HubConfigParsingTest {

    @Test
    void durations_are_iso_8601_or_whole_days_and_weeks() {
        assertThat(HubConfig.parseDuration("k", "PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(HubConfig.parseDuration("k", " P2D ")).isEqualTo(Duration.ofDays(2));
        assertThat(HubConfig.parseDuration("k", "P1W")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> HubConfig.parseDuration("hub.x.window", "5m")).hasMessage(
                "invalid configuration hub.x.window: not an ISO-8601 duration such as PT5M or P2D");
        assertThatThrownBy(() -> HubConfig.parseDuration("hub.x.window", "P1M")).hasMessageContaining("months and years");
        assertThatThrownBy(() -> HubConfig.parseDuration("hub.x.window", "-PT1S")).hasMessageEndingWith("must not be negative");
    }

    @Test
    void booleans_are_true_or_false_and_nothing_else() {
        assertThat(HubConfig.parseBool("k", "TRUE")).isTrue();
        assertThat(HubConfig.parseBool("k", "false")).isFalse();
        assertThatThrownBy(() -> HubConfig.parseBool("hub.x.enabled", "yes"))
                .hasMessage("invalid configuration hub.x.enabled: must be true or false");
    }

    @Test
    void vendor_keys_follow_the_same_rules_and_name_their_key() {
        VendorSettings acme = new VendorSettings("acme", Map.of("hub.esp.acme.tolerance", "P1W",
                "hub.esp.acme.enabled", "ja")::get);

        assertThat(acme.duration("tolerance", Duration.ZERO)).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(acme::enabled).hasMessage("invalid configuration hub.esp.acme.enabled: must be true or false");
    }

    @Test
    void a_default_lives_in_application_properties_and_a_missing_one_is_named() {
        HubConfig config = HubConfig.load(Map.of());

        assertThat(config.integer("hub.db.pool-size")).isEqualTo(10);
        assertThat(config.duration("hub.journal.retention")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> config.integer("hub.no.such-key"))
                .hasMessage("configuration key hub.no.such-key has no value: application.properties must define it");
    }
}
