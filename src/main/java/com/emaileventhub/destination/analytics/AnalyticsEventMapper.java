package com.emaileventhub.destination.analytics;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a canonical event into a Mixpanel-style import event:
 * {@code {"event": name, "properties": {time, distinct_id, $insert_id, ...canonical fields}}}.
 * Event names come from {@code hub.analytics.event-name.<type>} so an integrator renames them
 * without a Java change.
 */
public final class AnalyticsEventMapper {
    private final Map<EventType, String> names;

    public AnalyticsEventMapper(AnalyticsSettings settings) {
        this.names = settings.eventNames();
    }

    public String eventName(EventType type) {
        return names.get(type);
    }

    public Map<String, Object> map(CanonicalEvent e) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("time", e.occurredAt().toEpochMilli());
        // Mixpanel requires distinct_id; an empty string is accepted (event kept out of user analysis)
        properties.put("distinct_id", e.recipient() == null ? "" : e.recipient());
        // the canonical id is 32 hex chars: within Mixpanel's 36 [A-Za-z0-9-] limit, and stable across retries
        properties.put("$insert_id", e.id());
        properties.put("esp", e.esp());
        properties.put("type", e.type().wireName());
        putIfPresent(properties, "bounce_type", e.bounceType() == null ? null : e.bounceType().wireName());
        putIfPresent(properties, "recipient", e.recipient());
        putIfPresent(properties, "message_id", e.messageId());
        putIfPresent(properties, "esp_event_id", e.espEventId());
        putIfPresent(properties, "reason", e.reason());
        putIfPresent(properties, "mta_response", e.mtaResponse());
        putIfPresent(properties, "url", e.url());
        putIfPresent(properties, "user_agent", e.userAgent());
        // "ip" is Mixpanel's geolocation input: the opener's / clicker's address is exactly what it is for
        putIfPresent(properties, "ip", e.ip());
        properties.put("received_at", Timestamps.format(e.receivedAt()));
        properties.put("tags", e.tags());
        properties.put("metadata", e.metadata());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", names.get(e.type()));
        event.put("properties", properties);
        return event;
    }

    private static void putIfPresent(Map<String, Object> into, String key, Object value) {
        if (value != null) {
            into.put(key, value);
        }
    }
}
