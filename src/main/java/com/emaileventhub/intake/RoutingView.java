package com.emaileventhub.intake;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Timestamps;
import java.util.List;
import java.util.Map;

/**
 * What the YAML routing rules see as the body: the canonical event's fields as plain strings
 * (${body.type}, ${body.bounceType}, ${body.url}, ${body.recipient}, ${body.esp}, ${body.messageId},
 * ${body.reason}, ${body.tags}, ${body.metadata}). Strings, not enums, so that Camel's simple
 * language compares them directly instead of searching its type converters on every event.
 */
public final class RoutingView {
    private final CanonicalEvent event;
    private final String type;

    RoutingView(CanonicalEvent event) {
        this.event = event;
        this.type = event.type().wireName();
    }

    public String getId() { return event.id(); }
    public String getEsp() { return event.esp(); }
    public String getType() { return type; }
    public String getBounceType() { return event.bounceTypeName(); }
    public String getRecipient() { return event.recipient(); }
    public String getMessageId() { return event.messageId(); }
    public String getUrl() { return event.url(); }
    public String getReason() { return event.reason(); }
    public String getUserAgent() { return event.userAgent(); }
    public String getOccurredAt() { return Timestamps.format(event.occurredAt()); }
    public List<String> getTags() { return event.tags(); }
    public Map<String, String> getMetadata() { return event.metadata(); }
    /** The whole canonical event, for rules that need more (e.g. ${body.event.raw}). */
    public CanonicalEvent getEvent() { return event; }

    @Override
    public String toString() {
        return type + " " + event.id();
    }
}
