package com.emaileventhub.destination.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Analytics event names and batch limits come from application.properties alone, overridable per key. */
class AnalyticsSettingsTest {

    @Test
    void names_every_event_type_from_application_properties_and_takes_overrides() {
        AnalyticsSettings s = AnalyticsSettings.from(HubConfig.load(Map.of("hub.db.url", TestDatabases.h2(),
                "hub.analytics.event-name.opened", "Mail Opened", "hub.analytics.batch-size", "50")));

        assertThat(s.eventNames()).containsOnlyKeys(EventType.values());
        assertThat(s.eventNames()).containsEntry(EventType.COMPLAINED, "Email Marked as Spam")
                .containsEntry(EventType.OPENED, "Mail Opened");
        assertThat(s.batchSize()).isEqualTo(50);
        assertThat(s.maxBatchBytes()).isEqualTo(2_000_000L);
    }

    @Test
    void an_event_type_without_a_name_is_named_as_a_missing_key() {
        HubConfig config = HubConfig.load(Map.of("hub.db.url", TestDatabases.h2(), "hub.analytics.event-name.opened", ""));

        assertThatThrownBy(() -> AnalyticsSettings.from(config)).hasMessageContaining("hub.analytics.event-name.opened");
    }
}
