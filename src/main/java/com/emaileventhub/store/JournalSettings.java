package com.emaileventhub.store;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;

/**
 * The journal's group commit (hub.journal.*): how many group transactions may be in flight at once, how many events
 * must be queued for another to start beside one in flight, how many events one group may hold, and how intake is
 * paced to the destinations that follow the journal ({@link IntakePace}): the most they may fall behind (zero: never
 * paced) and, while they are further behind, how often one group goes through.
 */
public record JournalSettings(int writers, int parallelGroupEvents, int groupMaxEvents, Duration maxLag,
                              Duration paceWait) {
    public JournalSettings {
        if (writers < 1) {
            throw HubConfig.invalid("hub.journal.writers", "must be at least 1");
        }
        if (parallelGroupEvents < 1) {
            throw HubConfig.invalid("hub.journal.parallel-group-events", "must be at least 1");
        }
        if (groupMaxEvents < 1) {
            throw HubConfig.invalid("hub.journal.group-max-events", "must be at least 1");
        }
        if (maxLag.isNegative()) {
            throw HubConfig.invalid("hub.journal.max-lag", "must not be negative (PT0S: intake is never paced)");
        }
        if (paceWait.isNegative()) {
            throw HubConfig.invalid("hub.journal.pace-wait", "must not be negative");
        }
    }

    /** Group commit only, up to {@code writers} groups in flight whatever is queued, never paced (tests, tools). */
    public JournalSettings(int writers, int groupMaxEvents) {
        this(writers, 1, groupMaxEvents, Duration.ZERO, Duration.ZERO);
    }

    public static JournalSettings from(HubConfig config) {
        return new JournalSettings(config.integer("hub.journal.writers"),
                config.integer("hub.journal.parallel-group-events"), config.integer("hub.journal.group-max-events"),
                config.duration("hub.journal.max-lag"), config.duration("hub.journal.pace-wait"));
    }

    /** The pace these settings ask for. */
    public IntakePace pace() {
        return new IntakePace(maxLag, paceWait);
    }
}
