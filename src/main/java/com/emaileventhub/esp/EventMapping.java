package com.emaileventhub.esp;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        return mapEach(request, "$", events, mapper);
    }

    /**
     * @param path where the events sit, for the 400 of a list that holds no event object at all
     *             ({@code $} for a body that is the array, {@code mandrill_events} for a form field)
     */
    public static List<CanonicalEvent> mapEach(WebhookRequest request, String path, Iterable<JsonNode> events,
                                               Mapper mapper) {
        List<CanonicalEvent> out = new ArrayList<>();
        JsonNode first = null;
        boolean anyObject = false;
        for (JsonNode event : events) {
            first = first == null ? event : first;
            anyObject |= event.isObject();
            out.add(mapOne(request, event, mapper));
        }
        // an odd element beside real events is kept as unknown (docs/canonical-event.md: it never fails its batch), but a list
        // without a single event object ([1, "x"]) is no vendor payload at all
        if (first != null && !anyObject) {
            throw WebhookRejection.badRequest(path + "[0]: expected an event object, got "
                    + first.getNodeType().name().toLowerCase(Locale.ROOT));
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
