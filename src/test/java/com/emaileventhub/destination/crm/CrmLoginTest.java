package com.emaileventhub.destination.crm;

import static com.emaileventhub.destination.analytics.DestinationTestHub.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.DestinationConfigurationException;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.HubRunner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class CrmLoginTest {

    @Test
    void the_hub_starts_while_salesforce_refuses_the_login_and_delivery_reports_a_configuration_error() throws Exception {
        try (FakeSalesforce salesforce = new FakeSalesforce()) {
            salesforce.refuseLogin(true);
            try (Hub hub = HubRunner.start(Map.of(
                    "hub.crm.enabled", "true",
                    "camel.component.salesforce.loginUrl", salesforce.url(),
                    "camel.component.salesforce.authenticationType", "CLIENT_CREDENTIALS",
                    "camel.component.salesforce.clientId", "test-client",
                    "camel.component.salesforce.clientSecret", "wrong-secret")).hub()) {
                assertThat(salesforce.tokenCalls()).as("lazy login: nothing sent at start").isZero();
                Exchange exchange = new DefaultExchange(hub.context());
                exchange.getMessage().setBody(List.of(event(EventType.OPENED, "someone@example.com", Instant.now())));

                Exchange result = hub.context().createProducerTemplate().send(Delivery.endpoint("crm"), exchange);

                assertThat(result.getException()).isInstanceOf(DestinationConfigurationException.class)
                        .hasMessageNotContaining("wrong-secret");
                assertThat(salesforce.queries()).isEmpty();
            }
        }
    }
}
