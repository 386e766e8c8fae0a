package com.emaileventhub.support;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The RabbitMQ of this machine (127.0.0.1:5672, guest/guest) as the tests use it: a unique durable exchange and
 * queue per test (deleted after), messages read back with their AMQP properties, and an outage made with
 * rabbitmqctl stop_app / start_app.
 */
public final class RabbitBroker {
    public static final String URI = "amqp://127.0.0.1:5672";

    private RabbitBroker() {
    }

    /** One message as a consumer sees it. */
    public record Received(String messageId, String routingKey, String type, String contentType, Integer deliveryMode,
                           String body) {
    }

    /** A durable queue bound to a durable topic exchange, both named for one test. */
    public record Binding(String exchange, String queue) implements AutoCloseable {
        /** Takes every message waiting in the queue (acknowledged, so they are gone). */
        public List<Received> drain() {
            return call(ch -> {
                List<Received> out = new ArrayList<>();
                for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
                    out.add(new Received(r.getProps().getMessageId(), r.getEnvelope().getRoutingKey(), r.getProps().getType(),
                            r.getProps().getContentType(), r.getProps().getDeliveryMode(),
                            new String(r.getBody(), StandardCharsets.UTF_8)));
                }
                return out;
            });
        }

        @Override
        public void close() {
            call(ch -> {
                ch.queueDelete(queue);
                ch.exchangeDelete(exchange);
                return null;
            });
        }
    }

    /** A new exchange and a queue bound to it with the given pattern (# for everything). */
    public static Binding bind(String pattern) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Binding b = new Binding("hub-test-" + suffix, "hub-test-q-" + suffix);
        call(ch -> {
            ch.exchangeDeclare(b.exchange(), "topic", true);
            ch.queueDeclare(b.queue(), true, false, false, null);
            ch.queueBind(b.queue(), b.exchange(), pattern);
            return null;
        });
        return b;
    }

    /** Stops the broker's AMQP service (the node keeps running); pair with {@link #start()} in a finally. */
    public static void stop() {
        rabbitmqctl("stop_app");
    }

    /** Starts the AMQP service again and waits until it takes connections. */
    public static void start() {
        rabbitmqctl("start_app");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call(ch -> ch.isOpen()));
    }

    private static void rabbitmqctl(String command) {
        try {
            Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl " + command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface ChannelCall<T> {
        T apply(Channel channel) throws IOException;
    }

    private static <T> T call(ChannelCall<T> call) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        try (Connection c = f.newConnection("hub-test"); Channel ch = c.createChannel()) {
            return call.apply(ch);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ at 127.0.0.1:5672 (guest/guest) is needed by this test", e);
        }
    }
}
