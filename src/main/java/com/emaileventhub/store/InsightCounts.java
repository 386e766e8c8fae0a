package com.emaileventhub.store;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.util.List;

/**
 * The counts of the insight contract, in one order (also the rollup columns), and how a send's state or an
 * event without a send turns into them. A send's state is a set of outcome flags (bits below) and event counts.
 */
public final class InsightCounts {
    /** Count names, in column order. */
    public static final List<String> NAMES = List.of("sent", "delivered", "hard_bounced", "soft_bounced", "deferred",
            "rejected", "complained", "unsubscribed", "opened", "clicked", "opens", "clicks", "machine_opens",
            "machine_clicks", "events");
    public static final int SIZE = NAMES.size();
    static final int OPENS = 10;
    static final int CLICKS = 11;
    static final int MACHINE_OPENS = 12;
    static final int MACHINE_CLICKS = 13;
    static final int EVENTS = 14;

    public static final int QUEUED = 1;
    public static final int SENT = 1 << 1;
    public static final int DEFERRED = 1 << 2;
    public static final int DELIVERED = 1 << 3;
    public static final int HARD = 1 << 4;
    /** A bounce that is soft or unclassified. */
    public static final int SOFT = 1 << 5;
    /** Rejected or failed. */
    public static final int REJECTED = 1 << 6;
    public static final int COMPLAINED = 1 << 7;
    public static final int UNSUBSCRIBED = 1 << 8;
    public static final int AUTORESPONDED = 1 << 9;
    /** A human open. */
    public static final int OPENED = 1 << 10;
    /** A human click. */
    public static final int CLICKED = 1 << 11;
    private static final int SENDLIKE = QUEUED | SENT | DEFERRED | DELIVERED | HARD | SOFT | REJECTED;

    private InsightCounts() {
    }

    /** The flag an event sets on its send (0 for none). */
    public static int flag(CanonicalEvent e) {
        return switch (e.type()) {
            case QUEUED -> QUEUED;
            case SENT -> SENT;
            case DEFERRED -> DEFERRED;
            case DELIVERED -> DELIVERED;
            case BOUNCED -> e.bounceType() == BounceType.HARD ? HARD : SOFT;
            case REJECTED, FAILED -> REJECTED;
            case COMPLAINED -> COMPLAINED;
            case UNSUBSCRIBED -> UNSUBSCRIBED;
            case AUTORESPONDED -> AUTORESPONDED;
            case OPENED -> e.machine() ? 0 : OPENED;
            case CLICKED -> e.machine() ? 0 : CLICKED;
            default -> 0;
        };
    }

    /** The send-counted columns of a state; {@code eventCounts}: opens, clicks, machine opens, machine clicks, events. */
    public static long[] ofSend(int flags, int[] eventCounts) {
        long[] v = new long[SIZE];
        v[0] = (flags & SENDLIKE) != 0 ? 1 : 0;
        v[1] = bit(flags, DELIVERED);
        v[2] = bit(flags, HARD);
        v[3] = (flags & SOFT) != 0 && (flags & HARD) == 0 ? 1 : 0;
        v[4] = bit(flags, DEFERRED);
        v[5] = bit(flags, REJECTED);
        v[6] = bit(flags, COMPLAINED);
        v[7] = bit(flags, UNSUBSCRIBED);
        v[8] = (flags & (OPENED | CLICKED)) != 0 ? 1 : 0;
        v[9] = bit(flags, CLICKED);
        for (int i = 0; i < 5; i++) {
            v[OPENS + i] = eventCounts[i];
        }
        return v;
    }

    /** An event of no send: its event counts only. */
    public static long[] ofEvent(EventType type, boolean machine) {
        long[] v = new long[SIZE];
        addEvent(v, type, machine);
        return v;
    }

    /** Adds one event to the event counts (opens, clicks, machine opens, machine clicks, events). */
    static void addEvent(long[] v, EventType type, boolean machine) {
        if (type == EventType.OPENED) {
            v[machine ? MACHINE_OPENS : OPENS]++;
        } else if (type == EventType.CLICKED) {
            v[machine ? MACHINE_CLICKS : CLICKS]++;
        }
        v[EVENTS]++;
    }

    private static long bit(int flags, int bit) {
        return (flags & bit) != 0 ? 1 : 0;
    }
}
