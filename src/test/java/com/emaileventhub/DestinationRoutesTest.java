package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

/** Every destination route leaves failures to the delivery engine (one log line per failed batch, no stack traces). */
class DestinationRoutesTest {

    @Test
    void every_destination_route_opts_into_delivery_errors() {
        try (HubRunner hub = HubRunner.start(Map.of("hub.analytics.enabled", "true", "hub.crm.enabled", "true",
                "hub.analytics.url", "http://127.0.0.1:9/import", "hub.kafka.enabled", "true",
                "hub.stream.kafka.brokers", "127.0.0.1:9", "hub.delivery.poll-interval", "PT1H"))) {
            List<Route> destinations = hub.hub().context().getRoutes().stream()
                    .filter(r -> r.getRouteId().startsWith("deliver-")).toList();

            assertThat(destinations).extracting(Route::getRouteId)
                    .contains("deliver-archive", "deliver-analytics", "deliver-crm", "deliver-suppression", "deliver-kafka");
            assertThat(destinations).allSatisfy(r -> assertThat(r.getConfigurationId())
                    .as(r.getRouteId()).isEqualTo("delivery-errors"));
        }
    }
}
