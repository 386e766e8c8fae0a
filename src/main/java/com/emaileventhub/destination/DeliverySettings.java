package com.emaileventhub.destination;

import com.emaileventhub.config.HubConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * The hub.delivery.* keys, and a destination's own batch size (hub.NAME.batch-size) and retry policy
 * (hub.NAME.max-attempts, hub.NAME.backoff, hub.NAME.max-backoff, each falling back to hub.delivery.*), and
 * this instance's name in delivery leases (hub.instance-id, else host name plus a random suffix).
 */
public record DeliverySettings(int defaultBatchSize, int maxAttempts, Backoff backoff, Duration pollInterval,
                               Duration lease, Duration configurationRetry, Duration stalledAfter,
                               Duration gaugeInterval, String instanceId, HubConfig config) {

    public static DeliverySettings from(HubConfig config) {
        return new DeliverySettings(
                config.integer("hub.delivery.batch-size"),
                config.integer("hub.delivery.max-attempts"),
                new Backoff(config.duration("hub.delivery.backoff"),
                        config.duration("hub.delivery.max-backoff")),
                config.duration("hub.delivery.poll-interval"),
                config.duration("hub.delivery.lease"),
                config.duration("hub.delivery.configuration-retry"),
                config.duration("hub.delivery.stalled-after"),
                config.duration("hub.delivery.gauge-interval"),
                instanceId(config),
                config);
    }

    /** These settings with destination NAME's own retry policy where hub.NAME.max-attempts / backoff / max-backoff are set. */
    public DeliverySettings forDestination(String destination) {
        String prefix = "hub." + destination + ".";
        int attempts = config.integer(prefix + "max-attempts", maxAttempts);
        if (attempts <= 0) {
            throw HubConfig.invalid(prefix + "max-attempts", "must be a positive integer");
        }
        Duration first = config.duration(prefix + "backoff", config.duration("hub.delivery.backoff"));
        Duration max = config.duration(prefix + "max-backoff",
                config.duration("hub.delivery.max-backoff"));
        if (first.isNegative() || first.isZero()) {
            throw HubConfig.invalid(prefix + "backoff", "must be a positive duration");
        }
        return new DeliverySettings(defaultBatchSize, attempts, new Backoff(first, max), pollInterval, lease,
                configurationRetry, stalledAfter, gaugeInterval, instanceId, config);
    }

    public int batchSize(String destination) {
        int size = config.integer("hub." + destination + ".batch-size", defaultBatchSize);
        if (size <= 0) {
            throw HubConfig.invalid("hub." + destination + ".batch-size", "must be a positive integer");
        }
        return size;
    }

    /** Concurrent delivery loops of one destination in this instance (hub.NAME.workers, default 1). */
    public int workers(String destination) {
        return Math.max(1, config.integer("hub." + destination + ".workers", 1));
    }

    /** A destination is polled when its route exists, unless hub.NAME.enabled says false. */
    public boolean enabled(String destination) {
        return config.bool("hub." + destination + ".enabled", true);
    }

    private static String instanceId(HubConfig config) {
        String id = config.get("hub.instance-id");
        if (id != null) {
            return id;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "hub";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
