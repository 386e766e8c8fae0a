package com.emaileventhub.intake;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps vendor events one by one, so that one odd event becomes {@code unknown} instead of failing its batch. */
public final class EventMapping {
    private static final Logger LOG = LoggerFactory.getLogger(EventMapping.class);

    /** Reads one vendor event into a builder (already given esp and raw). */
    @FunctionalInterface
    public interface Mapper {
        void map(JsonNode event, CanonicalEvent.Builder into);
    }

    private EventMapping() {
    }

    public static List<CanonicalEvent> mapEach(WebhookRequest request, Iterable<JsonNode> events, Mapper mapper) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (JsonNode event : events) {
            out.add(mapOne(request, event, mapper));
        }
        return out;
    }

    public static CanonicalEvent mapOne(WebhookRequest request, JsonNode event, Mapper mapper) {
        CanonicalEvent.Builder b = CanonicalEvent.builder(request.vendor()).raw(event);
        try {
            mapper.map(event, b);
        } catch (RuntimeException e) {
            // keep the event (archived as unknown) rather than lose the batch; the raw object allows re-processing
            LOG.warn("{} event could not be mapped ({}); stored as unknown", request.vendor(), e.toString());
            b = CanonicalEvent.builder(request.vendor()).raw(event).type(EventType.UNKNOWN);
        }
        return b.build(request.receivedAt(), request.receivedAt());
    }
}
