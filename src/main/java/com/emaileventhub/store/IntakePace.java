package com.emaileventhub.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps intake from running away from the destinations that follow the journal (hub.journal.max-lag). Each such
 * destination reports, after every round, how far behind intake it is: the age of the last journal row it applied when
 * more rows were waiting, zero when it took everything it could. While the furthest working destination that is not
 * catching up (its lag did not fall over the last {@link #TREND_MILLIS}) is more than {@code maxLag} behind, a group
 * commit waits before it takes its group, and one group per {@code maxWait} goes through anyway, as does a group whose
 * oldest request has waited four pace-waits (so requests are answered well within an ESP's timeout): the destinations
 * get the cores and the database that intake would have taken, and the backlog stays near {@code maxLag} of events
 * instead of growing for as long as a peak lasts.
 *
 * <p>Only a destination that is working paces intake: one that failed its last round (an outage of its database or of
 * its route) withdraws, and a report older than {@link #STALE_MILLIS} counts for nothing, so a stopped destination
 * never stops intake; the journal keeps its events until it is back, and when it is, it works off what it missed
 * without holding intake, its lag falling. Destinations fed by the outbox (CRM, analytics,
 * brokers) never report: their pace is a remote service's.
 */
public final class IntakePace {
    private static final Logger LOG = LoggerFactory.getLogger(IntakePace.class);
    /** A report older than this no longer counts: its destination is stuck in a round, or gone. */
    static final long STALE_MILLIS = 10_000;
    /** How often a waiting group looks at the reports again. */
    static final long CHECK_MILLIS = 2;
    /** How far apart the two lags are that say whether a destination is catching up. */
    static final long TREND_MILLIS = 2_000;
    /** The most pace-waits a request waits in the queue for the destinations, whoever goes through meanwhile. */
    static final long MOST_TURNS = 4;

    /** How a group waits; a test's sleeper advances its own clock. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * A destination's last report, and its trend: the lag at the start of the current window of {@link #TREND_MILLIS}
     * and whether, over the last window, it fell (the destination is catching up).
     */
    private record Report(long lagMillis, long at, long windowLag, long windowAt, boolean catchingUp) {
    }

    private final long maxLagMillis;
    private final long maxWaitMillis;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong heldGroups = new AtomicLong();
    /** When the last group went through while the destinations were behind. */
    private final AtomicLong lastLetThrough = new AtomicLong();
    private volatile boolean holding;

    /** @param maxLag zero: intake is never paced */
    public IntakePace(Duration maxLag, Duration maxWait) {
        this(maxLag, maxWait, System::currentTimeMillis, Thread::sleep);
    }

    IntakePace(Duration maxLag, Duration maxWait, LongSupplier clock, Sleeper sleeper) {
        this.maxLagMillis = maxLag.toMillis();
        this.maxWaitMillis = maxWait.toMillis();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** A pace that never holds intake. */
    public static IntakePace off() {
        return new IntakePace(Duration.ZERO, Duration.ZERO);
    }

    /**
     * After a round of a journal-fed destination: how far behind intake it now stands (milliseconds since the last row
     * it applied was received, when more rows were waiting; 0 when it took all it could).
     */
    public void report(String destination, long lagMillis) {
        long lag = Math.max(0, lagMillis);
        long now = clock.getAsLong();
        reports.compute(destination, (name, last) -> {
            if (last == null || now - last.at() > STALE_MILLIS) {
                return new Report(lag, now, lag, now, false);
            }
            if (now - last.windowAt() >= TREND_MILLIS) {
                return new Report(lag, now, lag, now, lag < last.windowLag());
            }
            return new Report(lag, now, last.windowLag(), last.windowAt(), last.catchingUp());
        });
    }

    /** The destination's last round failed, or it stopped: it no longer paces intake. */
    public void withdraw(String destination) {
        reports.remove(destination);
    }

    /** How far behind intake the furthest working journal-fed destination is (ms), from the fresh reports. */
    public long lagMillis() {
        return lag(false);
    }

    /**
     * The lag that paces intake: the furthest of the working destinations that are not catching up. One whose lag
     * fell over the last {@link #TREND_MILLIS} already drains faster than intake takes (a destination back from an
     * outage working off the rows it missed, or one that pacing gave the cores back to): holding intake for it would
     * only make the ESPs wait while it catches up anyway.
     */
    long pacingLagMillis() {
        return lag(true);
    }

    private long lag(boolean pacing) {
        Map.Entry<String, Report> furthest = furthest(pacing);
        return furthest == null ? 0 : furthest.getValue().lagMillis();
    }

    /** The fresh report furthest behind, of the destinations that pace intake only when {@code pacing}; or null. */
    private Map.Entry<String, Report> furthest(boolean pacing) {
        long now = clock.getAsLong();
        Map.Entry<String, Report> furthest = null;
        for (Map.Entry<String, Report> e : reports.entrySet()) {
            Report r = e.getValue();
            if (now - r.at() <= STALE_MILLIS && !(pacing && r.catchingUp())
                    && (furthest == null || r.lagMillis() > furthest.getValue().lagMillis())) {
                furthest = e;
            }
        }
        return furthest;
    }

    /**
     * Called by a group commit's leader before it takes its group: returns at once while the destinations keep up;
     * else once they are back within the bound, or when it is this group's turn to go through anyway: one group per
     * {@code maxWait} across all leaders ({@link #letThrough}), so that intake, however many writers it has, never takes
     * more than {@code hub.journal.group-max-events} per {@code maxWait} from destinations that are behind; and at once
     * when the oldest request still queued has waited {@link #MOST_TURNS} pace-waits, so that no request waits longer
     * than that for the destinations, however many groups are ahead of it.
     *
     * @param oldestQueuedMillis how long the oldest write still queued has waited so far
     */
    void await(LongSupplier oldestQueuedMillis) {
        if (maxLagMillis <= 0) {
            return;
        }
        long lag = pacingLagMillis();
        if (lag <= maxLagMillis) {
            // the log says "no longer" once the destinations are well within the bound, not at each step around it
            if (holding && lag <= maxLagMillis / 2) {
                holding = false;
                LOG.info("intake no longer paced: the journal-fed destinations are within hub.journal.max-lag ({} ms) "
                        + "(held {} groups, {} ms in all so far)", maxLagMillis, heldGroups.get(), waitedMillis.get());
            }
            return;
        }
        long start = clock.getAsLong();
        if (!holding) {
            holding = true;
            lastLetThrough.set(start);   // the first group of a paced stretch waits a whole pace-wait too
            LOG.warn("intake paced: destination {} is {} ms behind intake, more than hub.journal.max-lag ({} ms); one "
                    + "group commit per {} ms goes through until it catches up", furthestName(), lag, maxLagMillis,
                    maxWaitMillis);
        }
        heldGroups.incrementAndGet();
        try {
            long now = start;
            while (pacingLagMillis() > maxLagMillis && oldestQueuedMillis.getAsLong() < MOST_TURNS * maxWaitMillis
                    && !letThrough(now)) {
                sleeper.sleep(Math.max(1, Math.min(CHECK_MILLIS, lastLetThrough.get() + maxWaitMillis - now)));
                now = clock.getAsLong();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // the group commits now; the request's own wait sees the interrupt
        } finally {
            waitedMillis.addAndGet(Math.max(0, clock.getAsLong() - start));
        }
    }

    /** The destination that paces intake (for the log line). */
    private String furthestName() {
        Map.Entry<String, Report> furthest = furthest(true);
        return furthest == null ? null : furthest.getKey();
    }

    /** Whether a group waiting for destinations that are behind goes through now: one per pace-wait, whoever asks. */
    boolean letThrough(long now) {
        long last = lastLetThrough.get();
        return now - last >= maxWaitMillis && lastLetThrough.compareAndSet(last, now);
    }

    /** Milliseconds group commits have waited for the destinations so far. */
    public long waitedMillis() {
        return waitedMillis.get();
    }

    /** Groups that waited. */
    public long heldGroups() {
        return heldGroups.get();
    }

    public Duration maxLag() {
        return Duration.ofMillis(maxLagMillis);
    }
}
