package com.emaileventhub.destination.rabbitmq;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a delivery batch to RabbitMQ (bean rabbitmqStream of routes/destinations/rabbitmq.camel.yaml): one
 * persistent JSON message per canonical event on the topic exchange hub.stream.rabbitmq.exchange, routing key
 * from the template hub.stream.rabbitmq.routing-key ({esp}, {type}, {bounce_type}), message id = event id.
 *
 * <p>The whole batch goes out on one channel in confirm mode and the broker's confirms are awaited once, for
 * all of it: a nack, no confirm within hub.stream.rabbitmq.confirm-timeout or a lost connection throws, and the
 * engine retries the batch. The camel-spring-rabbitmq endpoint waits for each message's confirm before sending
 * the next, which the broker answers after a disk sync per message (docs/destinations/rabbitmq.md has the
 * numbers). Nothing connects until the first publish, so a broker that is down or a
 * destination that is off never holds up start-up.
 */
public final class RabbitStream implements AutoCloseable {
    static final String ROUTING_KEY = "hub.stream.rabbitmq.routing-key";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    /** Routing-key words per placeholder; a bounce type of none reads "none" so the key keeps its word count. */
    private static final Map<String, Function<CanonicalEvent, String>> FIELDS = Map.of(
            "esp", CanonicalEvent::esp,
            "type", e -> e.type().wireName(),
            "bounce_type", e -> e.bounceType() == null ? "none" : e.bounceTypeName());

    private final CachingConnectionFactory connectionFactory;
    private final RabbitTemplate template;
    private final String exchange;
    private final long confirmTimeoutMillis;
    /** The template cut into literal text (even indexes) and placeholder names (odd indexes). */
    private final List<String> parts;

    public RabbitStream(HubConfig config) {
        this.parts = parse(config.require(ROUTING_KEY));
        this.connectionFactory = new CachingConnectionFactory();
        connectionFactory.setUri(uri(config));
        String username = config.get("hub.stream.rabbitmq.username");
        if (username != null) {
            connectionFactory.setUsername(username);
        }
        String password = config.get("hub.stream.rabbitmq.password");
        if (password != null) {
            connectionFactory.setPassword(password);
        }
        connectionFactory.setConnectionTimeout((int) config.duration("hub.stream.rabbitmq.connect-timeout").toMillis());
        // every channel in confirm mode: the route waits for the broker's ack of each message it publishes
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        connectionFactory.setConnectionNameStrategy(f -> "email-event-hub");
        this.template = new RabbitTemplate(connectionFactory);
        this.exchange = config.require("hub.stream.rabbitmq.exchange");
        this.confirmTimeoutMillis = config.duration("hub.stream.rabbitmq.confirm-timeout").toMillis();
    }

    /** Publishes every event of the batch and returns once the broker has confirmed them all. */
    public void publish(List<CanonicalEvent> events) {
        template.invoke(ops -> {
            // durable, idempotent: the exchange exists however the broker was set up or reset
            ops.execute(channel -> channel.exchangeDeclare(exchange, "topic", true));
            for (CanonicalEvent event : events) {
                ops.send(exchange, routingKey(event), message(event));
            }
            ops.waitForConfirmsOrDie(confirmTimeoutMillis);
            return null;
        });
    }

    private static Message message(CanonicalEvent event) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(event.id());
        props.setType(event.type().wireName());
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding(StandardCharsets.UTF_8.name());
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        try {
            return new Message(Json.MAPPER.writeValueAsBytes(event), props);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    private static URI uri(HubConfig config) {
        String key = "hub.stream.rabbitmq.uri";
        URI uri = URI.create(config.require(key));
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme()) || uri.getHost() == null) {
            throw HubConfig.invalid(key, "not an amqp:// or amqps:// URI");
        }
        return uri;
    }

    static List<String> parse(String template) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            if (!FIELDS.containsKey(m.group(1))) {
                throw HubConfig.invalid(ROUTING_KEY, "unknown placeholder {" + m.group(1) + "} (known: {esp}, {type}, {bounce_type})");
            }
            parts.add(template.substring(at, m.start()));
            parts.add(m.group(1));
            at = m.end();
        }
        parts.add(template.substring(at));
        return List.copyOf(parts);
    }

    /** The routing key of one event: email.postmark.delivered under the default template. */
    public String routingKey(CanonicalEvent event) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            key.append(i % 2 == 0 ? parts.get(i) : FIELDS.get(parts.get(i)).apply(event));
        }
        return key.toString();
    }

    /** The broker connection, also bound as bean rabbitmqConnectionFactory for spring-rabbitmq: endpoints in YAML. */
    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @Override
    public void close() {
        connectionFactory.destroy();
    }
}
