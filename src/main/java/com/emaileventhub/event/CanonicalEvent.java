package com.emaileventhub.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical email event (docs/canonical-event.md). Immutable; built by vendor normalizers
 * through {@link #builder(String)}, which also computes the deterministic id.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "esp", "type", "bounce_type", "occurred_at", "received_at", "recipient", "message_id",
        "esp_event_id", "reason", "mta_response", "url", "user_agent", "ip", "tags", "metadata", "raw", "machine",
        "machine_reason"})
public record CanonicalEvent(
        @JsonProperty("id") String id,
        @JsonProperty("esp") String esp,
        @JsonProperty("type") EventType type,
        @JsonProperty("bounce_type") BounceType bounceType,
        @JsonProperty("occurred_at") @JsonSerialize(using = InstantSerializer.class)
        @JsonDeserialize(using = InstantDeserializer.class) Instant occurredAt,
        @JsonProperty("received_at") @JsonSerialize(using = InstantSerializer.class)
        @JsonDeserialize(using = InstantDeserializer.class) Instant receivedAt,
        @JsonProperty("recipient") String recipient,
        @JsonProperty("message_id") String messageId,
        @JsonProperty("esp_event_id") String espEventId,
        @JsonProperty("reason") String reason,
        @JsonProperty("mta_response") String mtaResponse,
        @JsonProperty("url") String url,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("ip") String ip,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("raw") JsonNode raw,
        @JsonProperty("machine") boolean machine,
        @JsonProperty("machine_reason") String machineReason) {

    /**
     * {@code machine} holds only for opens and clicks, and only with a reason; a reason without the flag, or
     * on another type, is dropped, so a stored event always reads the same whatever built it.
     */
    public CanonicalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(esp, "esp");
        Objects.requireNonNull(type, "type");
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        raw = raw == null ? JsonNodeFactory.instance.objectNode() : raw;
        boolean engagement = type == EventType.OPENED || type == EventType.CLICKED;
        machine = machine && engagement;
        machineReason = machine ? (machineReason == null ? "unspecified" : machineReason) : null;
    }

    /** A human (not machine-made) event: every field but the machine ones. */
    public CanonicalEvent(String id, String esp, EventType type, BounceType bounceType, Instant occurredAt,
                          Instant receivedAt, String recipient, String messageId, String espEventId, String reason,
                          String mtaResponse, String url, String userAgent, String ip, List<String> tags,
                          Map<String, String> metadata, JsonNode raw) {
        this(id, esp, type, bounceType, occurredAt, receivedAt, recipient, messageId, espEventId, reason, mtaResponse,
                url, userAgent, ip, tags, metadata, raw, false, null);
    }

    /** This event marked machine-made for {@code why}; the id stays (machine is a finding, not an identity). */
    public CanonicalEvent asMachine(String why) {
        return new CanonicalEvent(id, esp, type, bounceType, occurredAt, receivedAt, recipient, messageId, espEventId,
                reason, mtaResponse, url, userAgent, ip, tags, metadata, raw, true, why);
    }

    /** The bounce type's wire name, or null. */
    public String bounceTypeName() {
        return bounceType == null ? null : bounceType.wireName();
    }

    /** The longest ip kept (an IPv6 address with a zone fits); longer values are cut with a marker. */
    public static final int MAX_IP = 64;

    public static Builder builder(String esp) {
        return new Builder(esp);
    }

    /** Collects what a normalizer reads from one vendor event; {@link #build} fixes the id. */
    public static final class Builder {
        private final String esp;
        private EventType type = EventType.UNKNOWN;
        private BounceType bounceType;
        private Instant occurredAt;
        private String recipient;
        private String messageId;
        private String espEventId;
        private boolean stableEventId;
        private String reason;
        private String mtaResponse;
        private String url;
        private String userAgent;
        private String ip;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private JsonNode raw;
        private String machineReason;

        private Builder(String esp) {
            this.esp = Objects.requireNonNull(esp, "esp");
        }

        public Builder type(EventType value) { this.type = value == null ? EventType.UNKNOWN : value; return this; }
        public Builder bounceType(BounceType value) { this.bounceType = value; return this; }
        /** A time RFC 3339 cannot write (outside years 1-9999) is unreadable: received_at stands in, as for no time. */
        public Builder occurredAt(Instant value) {
            this.occurredAt = Timestamps.isRepresentable(value) ? Timestamps.millis(value) : null;
            return this;
        }
        public Builder recipient(String value) { this.recipient = Recipients.normalize(value); return this; }
        public Builder messageId(String value) { this.messageId = blankToNull(value); return this; }
        /** The vendor's own id of this event; {@code stable} when it survives the vendor's retries. */
        public Builder espEventId(String value, boolean stable) {
            this.espEventId = blankToNull(value);
            this.stableEventId = stable;
            return this;
        }
        public Builder reason(String value) { this.reason = Texts.storable(blankToNull(value)); return this; }
        public Builder mtaResponse(String value) { this.mtaResponse = Texts.storable(blankToNull(value)); return this; }
        public Builder url(String value) { this.url = Texts.storable(value); return this; }
        public Builder userAgent(String value) { this.userAgent = Texts.storable(blankToNull(value)); return this; }
        /** Cut to {@link #MAX_IP} characters with a marker: no address is longer, and stores size the column so. */
        public Builder ip(String value) { this.ip = Texts.cut(Texts.storable(blankToNull(value)), MAX_IP); return this; }
        public Builder tag(String value) { if (value != null && !value.isBlank()) tags.add(value); return this; }
        public Builder tags(Iterable<String> values) { if (values != null) values.forEach(this::tag); return this; }
        public Builder metadata(String key, String value) { if (key != null && value != null) metadata.put(key, value); return this; }
        public Builder raw(JsonNode value) { this.raw = value; return this; }
        /** The vendor says an open or click was machine-made, for this reason (null: it does not say so). */
        public Builder machine(String reason) { this.machineReason = blankToNull(reason); return this; }

        public EventType type() { return type; }

        /**
         * @param receivedAt when the hub accepted the request
         * @param fallbackOccurredAt used when the vendor gave no event time (receivedAt, usually)
         */
        public CanonicalEvent build(Instant receivedAt, Instant fallbackOccurredAt) {
            Instant occurred = occurredAt != null ? occurredAt : Timestamps.millis(fallbackOccurredAt);
            BounceType bt = type == EventType.BOUNCED ? bounceType : null;
            String id = EventIds.of(esp, type, messageId, recipient, occurred, url, stableEventId ? espEventId : null);
            return new CanonicalEvent(id, esp, type, bt, occurred, Timestamps.millis(receivedAt), recipient, messageId,
                    espEventId, reason, mtaResponse, url, userAgent, ip, tags, metadata, raw, machineReason != null,
                    machineReason);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
