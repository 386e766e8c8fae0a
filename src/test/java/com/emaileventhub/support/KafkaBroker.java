package com.emaileventhub.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for the whole test run: Kafka's own KRaft test kit (a combined broker and controller in
 * this JVM, the same 3.9 line as the client camel-kafka brings), started on first use and stopped when the test
 * engine finishes (a test class that uses it registers {@link Lifecycle}), before the JVM exits. Clients reach it through a {@link TcpProxy} that the broker advertises, so a test can make the broker
 * unreachable ({@link #cut()}) and reachable again ({@link #restore()}) while it keeps its data. Each test writes
 * to a topic of its own ({@link #newTopic(int)}).
 */
public final class KafkaBroker {
    private static KafkaClusterTestKit cluster;
    private static TcpProxy proxy;

    private KafkaBroker() {
    }

    /** The bootstrap address clients use (the proxy in front of the broker); starts the broker on first use. */
    public static synchronized String bootstrap() {
        if (cluster == null) {
            start();
        }
        return "127.0.0.1:" + proxy.port();
    }

    private static void start() {
        neverHaltTheTestJvm();
        int brokerPort = AvailablePortFinder.getNextAvailable();
        try {
            proxy = new TcpProxy(brokerPort);
            // node 0 is broker and controller; clients are told to come back through the proxy
            Map<String, String> node = Map.of(
                    "listeners", "EXTERNAL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:0",
                    "advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port());
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setPerServerProperties(Map.of(0, node)).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("num.partitions", "1")
                    // ACLs only where a test sets them (denyWrites); every other resource stays open to everyone
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("allow.everyone.if.no.acl.found", "true")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
        } catch (Exception e) {
            throw new IllegalStateException("the test Kafka broker did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stop, "kafka-test-broker-stop"));
    }

    /**
     * Kafka's test kit deletes the broker's directory from a JVM shutdown hook of its own, which runs beside ours: a
     * broker still running then finds its log directory gone and halts the JVM with status 1, which fails the test
     * run after every test passed. So the broker is stopped when the engine finishes, and a halt or exit Kafka asks
     * for in this JVM is reported, never carried out.
     */
    private static void neverHaltTheTestJvm() {
        Exit.setHaltProcedure((status, message) ->
                System.err.println("test Kafka broker asked to halt the JVM (" + status + "): " + message));
        Exit.setExitProcedure((status, message) ->
                System.err.println("test Kafka broker asked to exit the JVM (" + status + "): " + message));
    }

    private static synchronized void stop() {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
            proxy.close();
        } catch (Exception e) {
            System.err.println("test Kafka broker did not stop cleanly: " + e);
        } finally {
            cluster = null;
        }
    }

    /** Registered on a test class that uses the broker: stops it once the whole test engine has finished. */
    public static final class Lifecycle implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(KafkaBroker.class.getName(), k -> (AutoCloseable) KafkaBroker::stop, AutoCloseable.class);
        }
    }

    /** Clients can no longer reach the broker: open connections are closed, new ones refused. */
    public static void cut() {
        proxy.cut();
    }

    /** Clients reach the broker again. */
    public static void restore() {
        proxy.restore();
    }

    /** A new topic with this many partitions, for one test. */
    public static String newTopic(int partitions) {
        String topic = "hub-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("topic " + topic + " could not be created", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return topic;
    }

    /**
     * Denies the topic to clients (all anonymous here): with an ACL on it, the broker refuses them its metadata as well
     * as writes, TOPIC_AUTHORIZATION_FAILED.
     */
    public static void denyWrites(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.WRITE, AclPermissionType.DENY)))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("writes to " + topic + " could not be denied", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every record of the topic so far, partition by partition in offset order (no consumer group involved). */
    public static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return out;
        }
    }
}
