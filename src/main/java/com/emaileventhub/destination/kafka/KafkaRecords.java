package com.emaileventhub.destination.kafka;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Turns a delivery batch into the records of route deliver-kafka (bean kafkaRecords of
 * routes/destinations/kafka.camel.yaml): one Camel message per canonical event, body the event as JSON, header
 * kafka.KEY the recipient (so one recipient's events share a partition and keep their order there), and the
 * record headers hub_event_id and hub_event_type. The camel-kafka endpoint sends such a body as one record per
 * message and, synchronous, returns once the broker has acknowledged all of them.
 *
 * <p>The messages are handed over one at a time, because the producer blocks a send for up to max.block.ms when it
 * knows no partition of the topic (broker unreachable since start-up, topic missing), and it would do so for
 * every record of the batch in turn. A send that blocked that long has failed, so the rest of the batch is not
 * handed over: the batch fails after one such wait and the engine retries it.
 */
public final class KafkaRecords {
    /** Record header carrying the event id (32 hex characters): consumers de-duplicate on it. */
    public static final String EVENT_ID = "hub_event_id";
    /** Record header carrying the event type (bounced, clicked, ...). */
    public static final String EVENT_TYPE = "hub_event_type";

    private final long maxBlockNanos;

    /** @param maxBlock the producer's max.block.ms (hub.stream.kafka.max-block-millis) */
    public KafkaRecords(Duration maxBlock) {
        this.maxBlockNanos = maxBlock.toNanos();
    }

    /** The records of a batch, in the batch's order, as the endpoint takes them (an Iterator body). */
    public Iterator<Message> records(List<CanonicalEvent> events, Exchange exchange) {
        return new Handover(events, exchange);
    }

    static Message record(CanonicalEvent event, Exchange exchange) {
        Message message = new DefaultMessage(exchange);
        try {
            message.setBody(Json.MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
        }
        message.setHeader(KafkaConstants.KEY, event.recipient());
        message.setHeader(EVENT_ID, event.id());
        message.setHeader(EVENT_TYPE, event.type().wireName());
        return message;
    }

    /** Yields the batch's records; refuses to go on once the send of the previous one blocked for max.block.ms. */
    private final class Handover implements Iterator<Message> {
        private final List<CanonicalEvent> events;
        private final Exchange exchange;
        private int next;
        /** When the previous record was handed to the producer (its send runs between next() and hasNext()). */
        private long handedAt;

        Handover(List<CanonicalEvent> events, Exchange exchange) {
            this.events = events;
            this.exchange = exchange;
        }

        @Override
        public boolean hasNext() {
            if (next > 0 && next < events.size()) {
                long blocked = System.nanoTime() - handedAt;
                if (blocked >= maxBlockNanos) {
                    throw new TimeoutException("the Kafka producer blocked " + Duration.ofNanos(blocked).toMillis()
                            + " ms on a send (it knows no partition of the topic: broker unreachable or topic missing); "
                            + (events.size() - next) + " of " + events.size() + " records not sent");
                }
            }
            return next < events.size();
        }

        @Override
        public Message next() {
            if (next >= events.size()) {
                throw new NoSuchElementException();
            }
            Message message = record(events.get(next++), exchange);
            handedAt = System.nanoTime();
            return message;
        }
    }
}
