package com.emaileventhub.destination.kafka;

import static com.emaileventhub.destination.DeliveryFixtures.call;
import static com.emaileventhub.destination.DeliveryFixtures.configurationError;
import static com.emaileventhub.destination.DeliveryFixtures.deliveryMetric;
import static com.emaileventhub.destination.DeliveryFixtures.event;
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
import com.emaileventhub.support.KafkaBroker;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.StoredEvents;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The Kafka stream destination against a real broker started by the tests (support/KafkaBroker), on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
@ExtendWith(KafkaBroker.Lifecycle.class)
class KafkaDeliveryTest {
    private static final String DELIVERED = "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'kafka' AND status = 'delivered'";
    private static final String TRIED_TWICE = "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'kafka' AND attempts >= 2";
    private static final String PENDING = "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'kafka' AND status = 'pending'";

    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;

    private Hub start(String topic, String... overrides) throws Exception {
        running = DeliveryFixtures.startOn(kind, List.of("hub.kafka.enabled=true", "hub.stream.kafka.brokers=" + KafkaBroker.bootstrap(),
                "hub.stream.kafka.topic=" + topic,
                "hub.esp.postmark.username=" + Postmark.USER, "hub.esp.postmark.password=" + Postmark.PASSWORD), overrides);
        return running.hub();
    }

    @AfterEach
    void stop() {
        KafkaBroker.restore();
        if (running != null) {
            running.close();
        }
    }

    @Test
    void webhook_events_selected_by_the_fanout_rule_arrive_as_json_keyed_by_recipient_with_the_event_id_header() throws Exception {
        String topic = KafkaBroker.newTopic(1);
        Hub hub = start(topic);
        postPostmark(hub, Postmark.record("Delivery", null, "kafka-1", "ann@example.com"));
        postPostmark(hub, Postmark.record("Bounce", "HardBounce", "kafka-2", "bob@example.com"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) == 2);
        List<ConsumerRecord<String, byte[]>> got = KafkaBroker.read(topic);
        assertThat(got).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("ann@example.com", "bob@example.com");
        for (ConsumerRecord<String, byte[]> r : got) {
            JsonNode event = Json.MAPPER.readTree(r.value());
            assertThat(headers(r)).as("only the hub's own headers, none of Camel's")
                    .isEqualTo(Map.of(KafkaRecords.EVENT_ID, event.get("id").asText(), KafkaRecords.EVENT_TYPE, event.get("type").asText()));
            assertThat(event.get("id").asText()).matches("[0-9a-f]{32}");
            assertThat(event.get("recipient").asText()).isEqualTo(r.key());
            assertThat(event.get("esp").asText()).isEqualTo("postmark");
        }
        JsonNode bounce = Json.MAPPER.readTree(got.stream().filter(r -> r.key().startsWith("bob")).findFirst().orElseThrow().value());
        assertThat(bounce.get("bounce_type").asText()).isEqualTo("hard");
        assertThat(StoredEvents.events(hub.database().dataSource(), "recipient = ?", "bob@example.com"))
                .as("the value is the canonical event as stored").containsExactly(bounce);
    }

    @Test
    void one_recipients_events_stay_in_order_within_its_partition() throws Exception {
        String topic = KafkaBroker.newTopic(4);
        Hub hub = start(topic);
        List<CanonicalEvent> stream = new ArrayList<>();
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        EventType[] types = {EventType.DELIVERED, EventType.OPENED, EventType.CLICKED};
        for (int i = 0; i < 240; i++) {
            stream.add(event("user" + (i % 12) + "@example.com", types[(i / 12) % types.length], null, base.plusSeconds(i)));
        }
        store(hub.database(), stream, "kafka");

        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) == 240);
        List<ConsumerRecord<String, byte[]>> got = KafkaBroker.read(topic);
        assertThat(got).hasSize(240);
        Map<String, List<ConsumerRecord<String, byte[]>>> byRecipient = got.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, LinkedHashMap::new, Collectors.toList()));
        assertThat(byRecipient).hasSize(12);
        assertThat(got.stream().map(ConsumerRecord::partition).distinct().count()).as("recipients spread over partitions").isGreaterThan(1);
        for (List<ConsumerRecord<String, byte[]>> records : byRecipient.values()) {
            assertThat(records.stream().map(ConsumerRecord::partition).distinct()).as("one partition per recipient").hasSize(1);
            List<String> sent = stream.stream().filter(e -> e.recipient().equals(records.get(0).key())).map(CanonicalEvent::id).toList();
            assertThat(records.stream().map(r -> headers(r).get(KafkaRecords.EVENT_ID)).toList())
                    .as("offset order is the order of occurrence").isEqualTo(sent);
        }
    }

    @Test
    void an_unreachable_broker_keeps_events_queued_and_retried_and_they_are_delivered_once_it_is_back() throws Exception {
        String topic = KafkaBroker.newTopic(2);
        KafkaBroker.cut();
        // attempts enough for the outage at the fixture's 1 s back-off cap; a send gives up after 0.5 s without metadata
        Hub hub = start(topic, "hub.kafka.batch-size=50", "hub.kafka.max-attempts=100000",
                "hub.stream.kafka.max-block-millis=500", "hub.stream.kafka.request-timeout-millis=1000",
                "hub.stream.kafka.delivery-timeout-millis=1500");
        assertThat(call(hub, "GET", "/observe/health/ready").statusCode()).as("intake does not wait for Kafka").isEqualTo(200);
        postPostmark(hub, Postmark.record("Delivery", null, "kafka-down-1", "carl@example.com"));
        List<CanonicalEvent> queued = events(60, EventType.OPENED);
        store(hub.database(), queued, "kafka");

        // each attempt fails after about one max-block, not one per record of its batch: every event is tried twice soon
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(hub.database().dataSource(), TRIED_TWICE) == 61);
        assertThat(retried(hub)).isGreaterThanOrEqualTo(122);
        assertThat(Rows.count(hub.database().dataSource(), DELIVERED)).isZero();
        assertThat(Rows.count(hub.database().dataSource(), PENDING)).isEqualTo(61);
        assertThat(dead(hub)).isZero();

        KafkaBroker.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(hub.database().dataSource(), DELIVERED) == 61);
        Set<String> expected = queued.stream().map(CanonicalEvent::id).collect(Collectors.toSet());
        expected.addAll(Rows.strings(hub.database().dataSource(), "SELECT id FROM hub_event WHERE recipient = ?", "carl@example.com"));
        List<ConsumerRecord<String, byte[]>> got = KafkaBroker.read(topic);
        assertThat(got.stream().map(r -> headers(r).get(KafkaRecords.EVENT_ID)).collect(Collectors.toSet())).isEqualTo(expected);
        assertThat(dead(hub)).isZero();
    }

    @Test
    void a_topic_the_broker_refuses_to_write_keeps_the_events_queued_without_counting_attempts() throws Exception {
        String topic = KafkaBroker.newTopic(1);
        KafkaBroker.denyWrites(topic);
        Hub hub = start(topic, "hub.delivery.configuration-retry=PT0.3S");
        store(hub.database(), events(3, EventType.CLICKED), "kafka");

        await().atMost(Duration.ofSeconds(20)).until(() -> configurationError(hub, "kafka") != null);
        assertThat(configurationError(hub, "kafka")).contains("Kafka refused the credentials or the topic");
        assertThat(statusAndAttempts(hub, "kafka")).containsOnly("pending:0").hasSize(3);
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> r) {
        return StreamSupport.stream(r.headers().spliterator(), false)
                .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8)));
    }

    private static double retried(Hub hub) {
        return deliveryMetric(hub, "hub_delivery_retried_total", "kafka");
    }

    private static double dead(Hub hub) {
        return deliveryMetric(hub, "hub_delivery_dead_total", "kafka");
    }
}
