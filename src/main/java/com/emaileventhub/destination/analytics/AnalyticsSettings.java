package com.emaileventhub.destination.analytics;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.EventType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The hub.analytics.* keys the Java half of the analytics destination reads (the route reads its URL,
 * credentials and timeout as placeholders), parsed once; every default is in application.properties.
 *
 * @param batchSize     events per import request (hub.analytics.batch-size)
 * @param maxBatchBytes uncompressed bytes per import request (hub.analytics.max-batch-bytes)
 * @param eventNames    the analytics event name per canonical type (hub.analytics.event-name.TYPE)
 */
public record AnalyticsSettings(int batchSize, long maxBatchBytes, Map<EventType, String> eventNames) {
    public static final String NAME_KEY_PREFIX = "hub.analytics.event-name.";

    public AnalyticsSettings {
        eventNames = Collections.unmodifiableMap(new EnumMap<>(eventNames));
    }

    public static AnalyticsSettings from(HubConfig config) {
        Map<EventType, String> names = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            names.put(type, config.require(NAME_KEY_PREFIX + type.wireName()));
        }
        return new AnalyticsSettings(config.integer("hub.analytics.batch-size"),
                config.longValue("hub.analytics.max-batch-bytes"), names);
    }
}
