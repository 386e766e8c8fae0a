package com.emaileventhub.destination.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination costs nothing while it is off, a broker that is not there does not hold up start-up, and the
 * producer the route's endpoint builds is the one docs/destinations/kafka.md promises.
 */
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

    @Test
    void the_producer_the_endpoint_uses_is_idempotent_waits_for_all_in_sync_replicas_and_takes_component_options() {
        // any other camel-kafka option is a camel.component.kafka.* key
        try (HubRunner hub = HubRunner.start(Map.of("hub.kafka.enabled", "true", "hub.stream.kafka.brokers", "127.0.0.1:9",
                "hub.stream.kafka.max-block-millis", "1500", "camel.component.kafka.linger-ms", "5",
                "hub.delivery.poll-interval", "PT1H"))) {
            KafkaEndpoint endpoint = hub.hub().context().getEndpoints().stream().filter(KafkaEndpoint.class::isInstance)
                    .map(KafkaEndpoint.class::cast).findFirst().orElseThrow();
            assertThat(endpoint.getConfiguration().isSynchronous()).isTrue();
            assertThat(endpoint.getConfiguration().getBrokers()).isEqualTo("127.0.0.1:9");
            assertThat(endpoint.getConfiguration().createProducerProperties())
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500)
                    .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000)
                    .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                    .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                    .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                    .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                    .doesNotContainKeys(SaslConfigs.SASL_JAAS_CONFIG, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        }
    }

    private static long producerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PRODUCER_THREAD)).count();
    }
}
