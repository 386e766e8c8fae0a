package com.emaileventhub.destination;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.fake;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** hub.NAME.max-attempts / backoff / max-backoff override hub.delivery.* for one destination. */
class PerDestinationRetryTest {
    private String dbUrl;
    private Hub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
            TestDatabases.drop(dbUrl);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_destination_with_its_own_max_attempts_gives_up_after_them(TestDatabases.Kind kind) throws Exception {
        dbUrl = kind.freshUrl();
        hub = DeliveryFixtures.start(DeliveryFixtures.overrides(dbUrl, DeliveryFixtures.routes(),
                "hub.delivery.max-attempts=6", "hub.fake.max-attempts=2"));
        fake(hub).alwaysFail = true;
        store(hub.database(), events(1, EventType.DELIVERED), "fake");
        await().atMost(15, TimeUnit.SECONDS).until(() -> Json.MAPPER.readTree(
                call(hub, "GET", "/api/deliveries?destination=fake&status=dead").body()).get("deliveries").size() == 1);
        JsonNode dead = Json.MAPPER.readTree(call(hub, "GET", "/api/deliveries?destination=fake&status=dead").body())
                .get("deliveries").get(0);
        assertThat(dead.get("attempts").asInt()).isEqualTo(2);
        assertThat(dead.get("error").asText()).startsWith("gave up after 2 attempts");
        assertThat(fake(hub).calls).hasSize(2);
    }

    @Test
    void backoff_and_its_cap_fall_back_to_hub_delivery_per_key() {
        DeliverySettings all = DeliverySettings.from(HubConfig.load(Map.of("hub.delivery.max-attempts", "7",
                "hub.delivery.backoff", "PT10S", "hub.delivery.max-backoff", "PT40S",
                "hub.crm.backoff", "PT1S", "hub.crm.max-backoff", "PT2S", "hub.analytics.max-attempts", "3")));
        DeliverySettings crm = all.forDestination("crm");
        DeliverySettings analytics = all.forDestination("analytics");
        assertThat(crm.maxAttempts()).isEqualTo(7);
        assertThat(analytics.maxAttempts()).isEqualTo(3);
        for (int i = 0; i < 20; i++) {
            assertThat(crm.backoff().delay(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(crm.backoff().delay(5, null)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(analytics.backoff().delay(1, null)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(analytics.backoff().delay(5, null)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
        }
        assertThatThrownBy(() -> DeliverySettings.from(HubConfig.load(Map.of("hub.crm.max-attempts", "0")))
                .forDestination("crm")).hasMessageContaining("hub.crm.max-attempts");
    }
}
