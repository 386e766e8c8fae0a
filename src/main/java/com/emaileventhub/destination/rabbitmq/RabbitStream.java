package com.emaileventhub.destination.rabbitmq;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * What routes/destinations/rabbitmq.camel.yaml needs beside camel-spring-rabbitmq: the broker connection
 * (hub.stream.rabbitmq.*, publisher confirms on every channel) and each event's routing key, from the template
 * in hub.stream.rabbitmq.routing-key ({esp}, {type}, {bounce_type}). Nothing connects until the first publish,
 * so a broker that is down or a destination that is off never holds up start-up.
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

    /** The connection factory the spring-rabbitmq endpoint publishes through (bean rabbitmqConnectionFactory). */
    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @Override
    public void close() {
        connectionFactory.destroy();
    }
}
