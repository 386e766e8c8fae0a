package com.emaileventhub.destination.crm;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.support.TestDatabases;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CRM's keys come from application.properties alone; an empty field name turns that field off. */
class CrmSettingsTest {

    @Test
    void reads_every_default_from_application_properties() {
        CrmSettings s = CrmSettings.from(HubConfig.load(Map.of("hub.db.url", TestDatabases.h2())));

        assertThat(s.objects()).containsExactly("Contact", "Lead");
        assertThat(s.filters()).containsExactly(Map.entry("Lead", "IsConverted = false"));
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(s.fields()).hasSize(CrmFields.NAMES.size()).containsEntry("opens", "Email_Opens__c");
        assertThat(s.permanentErrors()).contains("INVALID_FIELD", "MALFORMED_ID");
    }

    @Test
    void an_empty_field_name_is_not_written_and_updates_stay_within_200_records() {
        CrmSettings s = CrmSettings.from(HubConfig.load(Map.of("hub.db.url", TestDatabases.h2(),
                "hub.crm.field.opens", "", "hub.crm.field.clicks", "My_Clicks__c", "hub.crm.update-batch-size", "500")));

        Map<String, Object> written = new CrmFields(s.fields()).values(
                new Engagement(3, null, 2, null, null, null, null, null, false));
        assertThat(written).containsEntry("My_Clicks__c", 2L).doesNotContainKey("Email_Opens__c");
        assertThat(s.updateBatchSize()).isEqualTo(200);
    }
}
