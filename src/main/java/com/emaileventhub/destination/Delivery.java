package com.emaileventhub.destination;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The contract between the delivery engine and a destination route.
 *
 * <p>The engine claims due items of destination NAME from its queue (table hub_delivery) and sends
 * them as one batch to {@code direct:deliver-NAME} (a route in routes/destinations/NAME.camel.yaml):
 * the body is a {@code List<CanonicalEvent>} in occurred_at order, the exchange property
 * {@link #DESTINATION} holds NAME.
 *
 * <p>Outcome: when the exchange completes without an exception every event of the batch is
 * delivered, except the ids the route lists in {@link #FAILED} (dead-lettered at once: the
 * destination refused them for good) and in {@link #RETRY} (tried again later). An exception
 * retries the whole batch with back-off; {@link #RETRY_AFTER} (a java.time.Duration) asks for a
 * given delay (HTTP Retry-After). A {@link DestinationConfigurationException} (credentials
 * refused: 401/403) keeps the events queued and marks the destination unhealthy.
 */
public final class Delivery {
    /** Exchange property: the destination's name. */
    public static final String DESTINATION = "hub.destination";
    /** Exchange property: Map&lt;String eventId, String error&gt; of events refused for good. */
    public static final String FAILED = "hub.delivery.failed";
    /** Exchange property: Map&lt;String eventId, String error&gt; of events to try again later. */
    public static final String RETRY = "hub.delivery.retry";
    /**
     * Exchange property of a journal-fed destination's batch: the {@code store.JournalCursor.Advance} over its rows
     * (absent for a batch from the outbox). A route that writes to the hub's database may apply it in the transaction
     * of what it writes and end with a Boolean body: true when it moved the cursor, false when the cursor had moved
     * already (another instance applied the rows; not counted here). After any other body the worker moves the cursor
     * itself, once the route succeeded: such a route must be idempotent (the archive's copy is).
     */
    public static final String JOURNAL_ADVANCE = "hubJournalAdvance";
    /** Exchange property: java.time.Duration the destination asked us to wait (Retry-After). */
    public static final String RETRY_AFTER = "hub.delivery.retry-after";

    private Delivery() {
    }

    /** Adds event ids to the FAILED or RETRY map of the exchange (created on first use). */
    @SuppressWarnings("unchecked")
    public static void addOutcomes(Exchange exchange, String property, Map<String, String> add) {
        if (add.isEmpty()) {
            return;
        }
        Map<String, String> existing = exchange.getProperty(property, Map.class);
        Map<String, String> merged = existing == null ? new LinkedHashMap<>() : new LinkedHashMap<>(existing);
        merged.putAll(add);
        exchange.setProperty(property, merged);
    }

    /** The endpoint a destination's route consumes from. */
    public static String endpoint(String destination) {
        return "direct:deliver-" + destination;
    }
}
