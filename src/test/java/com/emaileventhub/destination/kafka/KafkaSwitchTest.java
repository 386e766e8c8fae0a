package com.emaileventhub.destination.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/** The Kafka destination costs nothing while it is off, and a broker that is not there does not hold up start-up. */
class KafkaSwitchTest {
    private static final String PRODUCER_THREAD = "kafka-producer-network-thread";

    @Test
    void with_kafka_off_neither_its_route_nor_the_kafka_component_nor_a_client_thread_exists() {
        try (HubRunner hub = HubRunner.start(Map.of())) {
            CamelContext context = hub.hub().context();
            assertThat(context.getRoute("deliver-kafka")).isNull();
            assertThat(context.hasComponent("kafka")).isNull();
            assertThat(producerThreads()).isZero();
        }
    }

    @Test
    void with_kafka_on_and_no_broker_listening_the_hub_starts_with_its_route_and_one_producer() {
        try (HubRunner hub = HubRunner.start(Map.of("hub.kafka.enabled", "true", "hub.stream.kafka.brokers", "127.0.0.1:9",
                "hub.delivery.poll-interval", "PT1H"))) {
            assertThat(hub.hub().context().getRoute("deliver-kafka")).isNotNull();
            assertThat(hub.get("/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(producerThreads()).isEqualTo(1);
        }
        assertThat(producerThreads()).as("closed with the hub").isZero();
    }

    private static long producerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PRODUCER_THREAD)).count();
    }
}
