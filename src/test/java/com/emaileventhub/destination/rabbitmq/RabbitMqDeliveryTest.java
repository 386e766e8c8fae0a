package com.emaileventhub.destination.rabbitmq;

import static com.emaileventhub.destination.DeliveryFixtures.configurationError;
import static com.emaileventhub.destination.DeliveryFixtures.deliveryMetric;
import static com.emaileventhub.destination.DeliveryFixtures.events;
import static com.emaileventhub.destination.DeliveryFixtures.postPostmark;
import static com.emaileventhub.destination.DeliveryFixtures.statusAndAttempts;
import static com.emaileventhub.destination.DeliveryFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.RabbitBroker;
import com.emaileventhub.support.RabbitBroker.Received;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The RabbitMQ stream destination against this machine's broker, on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class RabbitMqDeliveryTest {
    private static final String DELIVERED = "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'rabbitmq' AND status = 'delivered'";

    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private RabbitBroker.Binding binding;

    private Hub start(String pattern, String... overrides) throws Exception {
        binding = RabbitBroker.bind(pattern);
        running = DeliveryFixtures.startOn(kind, List.of("hub.rabbitmq.enabled=true", "hub.stream.rabbitmq.uri=" + RabbitBroker.URI,
                "hub.stream.rabbitmq.exchange=" + binding.exchange(),
                "hub.esp.postmark.username=" + Postmark.USER, "hub.esp.postmark.password=" + Postmark.PASSWORD), overrides);
        return running.hub();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        if (binding != null) {
            binding.close();
        }
    }

    @Test
    void webhook_events_selected_by_the_fanout_rule_arrive_as_persistent_json_with_the_event_id_as_message_id() throws Exception {
        Hub hub = start("email.postmark.*");
        postPostmark(hub, Postmark.record("Delivery", null, "rmq-1", "ann@example.com"));
        postPostmark(hub, Postmark.record("Bounce", "HardBounce", "rmq-2", "bob@example.com"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) == 2);
        List<Received> got = binding.drain();
        assertThat(got).extracting(Received::routingKey)
                .containsExactlyInAnyOrder("email.postmark.delivered", "email.postmark.bounced");
        for (Received r : got) {
            JsonNode event = Json.MAPPER.readTree(r.body());
            assertThat(r.messageId()).isEqualTo(event.get("id").asText()).matches("[0-9a-f]{32}");
            assertThat(r.deliveryMode()).as("persistent").isEqualTo(2);
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.type()).isEqualTo(event.get("type").asText());
            assertThat(event.get("esp").asText()).isEqualTo("postmark");
        }
        JsonNode bounce = Json.MAPPER.readTree(got.stream().filter(r -> r.routingKey().endsWith("bounced")).findFirst().orElseThrow().body());
        assertThat(bounce.get("recipient").asText()).isEqualTo("bob@example.com");
        assertThat(bounce.get("bounce_type").asText()).isEqualTo("hard");
        assertThat(Rows.strings(hub.database().dataSource(), "SELECT id FROM hub_event WHERE recipient = ?", "bob@example.com"))
                .containsExactly(bounce.get("id").asText());
    }

    @Test
    void a_broker_outage_mid_stream_loses_nothing_and_repeats_only_under_the_same_message_id() throws Exception {
        // attempts enough for any outage at the fixture's 1 s back-off cap: the broker decides how long it is away
        Hub hub = start("#", "hub.rabbitmq.batch-size=10", "hub.rabbitmq.max-attempts=100000");
        List<CanonicalEvent> before = events(200, EventType.DELIVERED);
        List<CanonicalEvent> during = events(50, EventType.OPENED);
        store(hub.database(), before, "rabbitmq");
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) >= 20);

        RabbitBroker.stop();
        try {
            store(hub.database(), during, "rabbitmq");
            await().atMost(Duration.ofSeconds(30)).until(() -> retried(hub) > 0);
            assertThat(Rows.count(hub.database().dataSource(), DELIVERED)).isLessThan(250);
        } finally {
            RabbitBroker.start();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) == 250);
        List<Received> got = binding.drain();
        Set<String> expected = new HashSet<>();
        before.forEach(e -> expected.add(e.id()));
        during.forEach(e -> expected.add(e.id()));
        assertThat(got.stream().map(Received::messageId).collect(Collectors.toSet())).isEqualTo(expected);
        for (Received r : got) {
            assertThat(Json.MAPPER.readTree(r.body()).get("id").asText()).as("a copy keeps its message id").isEqualTo(r.messageId());
        }
        assertThat(got.size()).isGreaterThanOrEqualTo(250);
        assertThat(deliveryMetric(hub, "hub_delivery_dead_total", "rabbitmq")).isZero();
    }

    @Test
    void refused_credentials_keep_the_events_queued_without_counting_attempts() throws Exception {
        Hub hub = start("#", "hub.stream.rabbitmq.password=wrong-password", "hub.stream.rabbitmq.username=guest",
                "hub.delivery.configuration-retry=PT0.3S");
        store(hub.database(), events(3, EventType.CLICKED), "rabbitmq");

        await().atMost(Duration.ofSeconds(30)).until(() -> configurationError(hub, "rabbitmq") != null);
        assertThat(configurationError(hub, "rabbitmq")).contains("RabbitMQ refused the credentials");
        assertThat(statusAndAttempts(hub, "rabbitmq")).containsOnly("pending:0").hasSize(3);
        assertThat(binding.drain()).isEmpty();
    }

    private static double retried(Hub hub) {
        return deliveryMetric(hub, "hub_delivery_retried_total", "rabbitmq");
    }
}
