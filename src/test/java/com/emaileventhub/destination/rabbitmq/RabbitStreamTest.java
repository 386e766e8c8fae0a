package com.emaileventhub.destination.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing keys from hub.stream.rabbitmq.routing-key, and the settings that stop start-up. */
class RabbitStreamTest {
    private static final Instant T = Instant.parse("2026-03-04T12:00:00Z");

    @Test
    void the_default_template_gives_email_esp_type() {
        try (RabbitStream stream = new RabbitStream(HubConfig.load(Map.of()))) {
            assertThat(stream.routingKey(event(EventType.DELIVERED, null))).isEqualTo("email.postmark.delivered");
        }
    }

    @Test
    void bounce_type_reads_none_when_the_event_has_none() {
        try (RabbitStream stream = stream("events.{type}.{bounce_type}.{esp}")) {
            assertThat(stream.routingKey(event(EventType.BOUNCED, BounceType.HARD))).isEqualTo("events.bounced.hard.postmark");
            assertThat(stream.routingKey(event(EventType.OPENED, null))).isEqualTo("events.opened.none.postmark");
        }
    }

    @Test
    void an_unknown_placeholder_stops_start_up_naming_the_key() {
        assertThatThrownBy(() -> stream("email.{vendor}.{type}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.stream.rabbitmq.routing-key").hasMessageContaining("{vendor}");
    }

    @Test
    void a_uri_that_is_not_amqp_stops_start_up_naming_the_key() {
        assertThatThrownBy(() -> new RabbitStream(HubConfig.load(Map.of("hub.stream.rabbitmq.uri", "http://broker:5672"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hub.stream.rabbitmq.uri");
    }

    private static RabbitStream stream(String template) {
        return new RabbitStream(HubConfig.load(Map.of("hub.stream.rabbitmq.routing-key", template)));
    }

    private static CanonicalEvent event(EventType type, BounceType bounce) {
        return CanonicalEvent.builder("postmark").type(type).bounceType(bounce).recipient("a@example.com")
                .messageId("m-1").occurredAt(T).build(T, T);
    }
}
