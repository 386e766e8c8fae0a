package com.emaileventhub.store;

import com.emaileventhub.config.HubConfig;

/**
 * The journal's group commit (hub.journal.*): how many group transactions may be in flight at once, and how
 * many events one group may hold.
 */
public record JournalSettings(int writers, int groupMaxEvents) {
    public JournalSettings {
        if (writers < 1) {
            throw HubConfig.invalid("hub.journal.writers", "must be at least 1");
        }
        if (groupMaxEvents < 1) {
            throw HubConfig.invalid("hub.journal.group-max-events", "must be at least 1");
        }
    }

    public static JournalSettings from(HubConfig config) {
        return new JournalSettings(config.integer("hub.journal.writers"), config.integer("hub.journal.group-max-events"));
    }
}
