package com.emaileventhub.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The canonical event types of docs/canonical-event.md; anything a vendor sends that is not mapped is UNKNOWN. */
public enum EventType {
    QUEUED, SENT, REJECTED, FAILED, BOUNCED, DEFERRED, DELIVERED, AUTORESPONDED,
    OPENED, CLICKED, COMPLAINED, UNSUBSCRIBED, SUBSCRIBED, UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; null for anything that is not one (callers decide what that means). */
    public static EventType fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (EventType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
