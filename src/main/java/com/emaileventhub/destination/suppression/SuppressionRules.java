package com.emaileventhub.destination.suppression;

import com.emaileventhub.destination.Delivery;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventIds;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Recipients;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.SuppressionStore.AuditEntry;
import com.emaileventhub.store.SuppressionStore.Bounce;
import com.emaileventhub.store.SuppressionStore.State;
import com.emaileventhub.store.SuppressionStore.Suppression;
import com.emaileventhub.store.SuppressionStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.ExchangeProperty;

/**
 * The suppression rules of docs/canonical-event.md, applied so that the outcome depends on the events'
 * occurred_at order and not on their arrival order: the latest unsubscribe and resubscribe are kept per
 * address and compared; soft bounces are counted from the journal in any window of the configured width
 * that contains the new one; events that occurred before an operator's lift no longer count. Replaying
 * an event changes nothing. Each new suppression is queued for destination {@value #FORWARD} in the
 * same transaction when a forward URL is configured.
 */
public final class SuppressionRules {
    public static final String FORWARD = "suppression-forward";
    public static final String HARD_BOUNCE = "hard_bounce";
    public static final String COMPLAINT = "complaint";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String REPEATED_SOFT_BOUNCE = "repeated_soft_bounce";
    /** The default reason of a suppression an operator adds by hand. */
    public static final String MANUAL = "manual";
    /** Every reason a suppression can carry. */
    public static final Set<String> REASONS = Set.of(HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE, REPEATED_SOFT_BOUNCE, MANUAL);

    private final SuppressionStore store;
    private final int softThreshold;
    private final Duration softWindow;
    private final boolean forward;
    private final Clock clock;

    public SuppressionRules(SuppressionStore store, int softThreshold, Duration softWindow, boolean forward, Clock clock) {
        this.store = store;
        this.softThreshold = softThreshold;
        this.softWindow = softWindow;
        this.forward = forward;
        this.clock = clock;
    }

    /**
     * The suppression destination: one transaction per batch. Events are grouped per address (compared
     * lower-cased, as the API looks addresses up) and applied in occurred_at order; addresses are locked in
     * a fixed order, so two batches sharing addresses wait for each other instead of deadlocking.
     */
    public void apply(List<CanonicalEvent> events) {
        deliver(events, null);
    }

    /**
     * The suppression destination (route deliver-suppression): as {@link #apply(List)}, moving a journal cursor over
     * the batch first in the same transaction (null: none, the outbox's batch). Returns whether the batch was applied:
     * false, having written nothing, when the cursor no longer stood where the batch was read (another instance applied
     * it). The route's Boolean body for the worker ({@link Delivery#JOURNAL_ADVANCE}).
     */
    public boolean deliver(List<CanonicalEvent> events,
                           @ExchangeProperty(Delivery.JOURNAL_ADVANCE) JournalCursor.Advance advance) {
        Map<String, List<CanonicalEvent>> byEmail = new TreeMap<>();
        for (CanonicalEvent e : events) {
            String email = Recipients.normalize(e.recipient());
            if (email != null) {
                byEmail.computeIfAbsent(email, k -> new ArrayList<>()).add(e);
            }
        }
        long now = clock.millis();
        return store.inTransaction(tx -> {
            if (advance != null && !tx.advance(advance, now)) {
                return false;
            }
            for (Map.Entry<String, List<CanonicalEvent>> address : byEmail.entrySet()) {
                List<CanonicalEvent> list = address.getValue();
                list.sort(Comparator.comparing(CanonicalEvent::occurredAt).thenComparing(CanonicalEvent::id));
                for (CanonicalEvent e : list) {
                    apply(tx, address.getKey(), e, now);
                }
            }
            return true;
        });
    }

    /** DELETE /api/suppressions/{email}: false when the address was not suppressed. */
    public boolean lift(String email, String actor, String note) {
        long now = clock.millis();
        return store.inTransaction(tx -> {
            State s = tx.lockState(email);
            Suppression current = tx.current(email);
            if (current == null) {
                return false;
            }
            tx.delete(email);
            // events that occurred up to now are settled: only later ones can suppress again
            tx.saveState(new State(email, s.unsubscribedAt(), s.unsubscribeEvent(), s.unsubscribeEsp(), s.subscribedAt(),
                    now));
            tx.audit(new AuditEntry(email, "lift", current.reason(), now, actor, note, null));
            return true;
        });
    }

    /**
     * POST /api/suppressions: suppresses an address by hand (esp {@value SuppressionStore#MANUAL_ESP}, first
     * and last at now), audited with the actor, and queued for {@value #FORWARD} like any new suppression.
     * Returns null when the address is already suppressed (nothing changes then).
     */
    public Suppression add(String email, String reason, String actor, String note) {
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("unknown reason " + reason);
        }
        long now = clock.millis();
        return store.inTransaction(tx -> {
            tx.lockState(email);
            if (tx.current(email) != null) {
                return null;
            }
            // an id of the same shape as an event's, which no vendor's event can have (esp "manual")
            String id = EventIds.of(SuppressionStore.MANUAL_ESP, EventType.UNSUBSCRIBED, reason, email,
                    Instant.ofEpochMilli(now), null, null);
            Suppression s = new Suppression(email, reason, SuppressionStore.MANUAL_ESP, now, now, id);
            tx.insert(s, now);
            tx.audit(new AuditEntry(email, "suppress", reason, now, actor, note, null));
            if (forward) {
                tx.enqueue(FORWARD, id, now);
            }
            return s;
        });
    }

    private void apply(SuppressionStore.Tx tx, String email, CanonicalEvent e, long now) throws SQLException {
        long at = e.occurredAt().toEpochMilli();
        State s = tx.lockState(email);
        if (s.liftedAt() != null && at <= s.liftedAt()) {
            return;
        }
        switch (e.type()) {
            case BOUNCED -> {
                if (e.bounceType() == BounceType.HARD) {
                    suppress(tx, email, e, HARD_BOUNCE, now);
                } else if (e.bounceType() == BounceType.SOFT) {
                    CanonicalEvent cause = softThresholdReached(tx, email, e, s.liftedAt());
                    if (cause != null) {
                        suppress(tx, email, cause, REPEATED_SOFT_BOUNCE, now);
                    }
                }
            }
            case COMPLAINED -> suppress(tx, email, e, COMPLAINT, now);
            case UNSUBSCRIBED -> {
                if (s.unsubscribedAt() == null || at > s.unsubscribedAt()) {
                    s = new State(email, at, e.id(), e.esp(), s.subscribedAt(), s.liftedAt());
                    tx.saveState(s);
                }
                // only the latest unsubscribe counts, and only when no resubscribe occurred after it
                if (at == s.unsubscribedAt() && (s.subscribedAt() == null || at > s.subscribedAt())) {
                    suppress(tx, email, e, UNSUBSCRIBE, now);
                }
            }
            case SUBSCRIBED -> {
                if (s.subscribedAt() == null || at > s.subscribedAt()) {
                    s = new State(email, s.unsubscribedAt(), s.unsubscribeEvent(), s.unsubscribeEsp(), at, s.liftedAt());
                    tx.saveState(s);
                }
                Suppression current = tx.current(email);
                if (current != null && UNSUBSCRIBE.equals(current.reason())
                        && (s.unsubscribedAt() == null || at > s.unsubscribedAt())) {
                    tx.delete(email);
                    tx.audit(new AuditEntry(email, "lift", UNSUBSCRIBE, now, "event:" + e.id(),
                            "resubscribed (" + e.esp() + ") after the unsubscribe", e.id()));
                }
            }
            default -> {
                // other types never change the suppression list
            }
        }
    }

    private void suppress(SuppressionStore.Tx tx, String email, CanonicalEvent cause, String reason, long now)
            throws SQLException {
        long at = cause.occurredAt().toEpochMilli();
        Suppression current = tx.current(email);
        if (current == null) {
            tx.insert(new Suppression(email, reason, cause.esp(), at, at, cause.id()), now);
            tx.audit(new AuditEntry(email, "suppress", reason, now, "event:" + cause.id(), null, cause.id()));
            if (forward) {
                tx.enqueue(FORWARD, cause.id(), now);
            }
            return;
        }
        boolean upgrade = UNSUBSCRIBE.equals(current.reason()) && !UNSUBSCRIBE.equals(reason);
        boolean earlier = current.reason().equals(reason) && at < current.firstAt();
        Suppression next;
        if (upgrade || earlier) {
            // a cause a resubscribe cannot lift replaces an unsubscribe; otherwise the earliest cause is kept
            next = new Suppression(email, reason, cause.esp(), Math.min(current.firstAt(), at),
                    Math.max(current.lastAt(), at), cause.id());
        } else {
            next = new Suppression(email, current.reason(), current.esp(), current.firstAt(),
                    Math.max(current.lastAt(), at), current.eventId());
        }
        if (!next.equals(current)) {
            tx.update(next);
            if (upgrade) {
                tx.audit(new AuditEntry(email, "suppress", reason, now, "event:" + cause.id(),
                        "replaces " + current.reason(), cause.id()));
            }
        }
    }

    /**
     * The soft bounce that completes {@code threshold} soft bounces within one window containing {@code e},
     * or null. Every window that contains e is looked at, so late arrivals complete windows as well.
     */
    private CanonicalEvent softThresholdReached(SuppressionStore.Tx tx, String email, CanonicalEvent e, Long liftedAt)
            throws SQLException {
        long at = e.occurredAt().toEpochMilli();
        long w = softWindow.toMillis();
        List<Bounce> bounces = tx.softBounces(email, at - w, at + w, liftedAt);
        for (int i = 0; i + softThreshold - 1 < bounces.size(); i++) {
            Bounce first = bounces.get(i);
            Bounce last = bounces.get(i + softThreshold - 1);
            if (first.occurredAt() > at) {
                break;
            }
            if (last.occurredAt() - first.occurredAt() <= w && last.occurredAt() >= at) {
                return last.eventId().equals(e.id()) ? e : withCause(e, email, last);
            }
        }
        return null;
    }

    /** The suppression names the bounce that completed the window (it is in the journal, like e). */
    private static CanonicalEvent withCause(CanonicalEvent e, String email, Bounce b) {
        return new CanonicalEvent(b.eventId(), b.esp(), e.type(), e.bounceType(),
                Instant.ofEpochMilli(b.occurredAt()), e.receivedAt(), email, null, null, null, null,
                null, null, null, null, null, null);
    }
}
