package com.emaileventhub.destination;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;

/** The hub.delivery.* keys, and a destination's own batch size (hub.NAME.batch-size). */
public record DeliverySettings(int defaultBatchSize, int maxAttempts, Backoff backoff, Duration pollInterval,
                               Duration lease, Duration configurationRetry, Duration stalledAfter,
                               Duration gaugeInterval, HubConfig config) {

    public static DeliverySettings from(HubConfig config) {
        return new DeliverySettings(
                config.integer("hub.delivery.batch-size", 500),
                config.integer("hub.delivery.max-attempts", 12),
                new Backoff(config.duration("hub.delivery.backoff", Duration.ofSeconds(2)),
                        config.duration("hub.delivery.max-backoff", Duration.ofMinutes(10))),
                config.duration("hub.delivery.poll-interval", Duration.ofSeconds(1)),
                config.duration("hub.delivery.lease", Duration.ofMinutes(2)),
                config.duration("hub.delivery.configuration-retry", Duration.ofMinutes(1)),
                config.duration("hub.delivery.stalled-after", Duration.ofMinutes(15)),
                config.duration("hub.delivery.gauge-interval", Duration.ofSeconds(5)),
                config);
    }

    public int batchSize(String destination) {
        int size = config.integer("hub." + destination + ".batch-size", defaultBatchSize);
        if (size <= 0) {
            throw HubConfig.invalid("hub." + destination + ".batch-size", "must be a positive integer");
        }
        return size;
    }

    /** A destination is polled when its route exists, unless hub.NAME.enabled says false. */
    /** Concurrent delivery loops of one destination in this instance (hub.NAME.workers, default 1). */
    public int workers(String destination) {
        return Math.max(1, config.integer("hub." + destination + ".workers", 1));
    }

    public boolean enabled(String destination) {
        return config.bool("hub." + destination + ".enabled", true);
    }
}
