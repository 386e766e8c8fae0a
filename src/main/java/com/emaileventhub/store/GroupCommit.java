package com.emaileventhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Group commit without threads of its own (leader/follower): a request queues its write and, when fewer than
 * {@code leaders} groups are in flight, becomes a leader that takes everything queued (up to a bound) and
 * commits it as one group, for itself and for the followers that queued while the previous group committed.
 * A follower waits for its outcome, or for the hand-off that makes it the next leader. No write waits for a
 * timer: under light load a group is one request, under heavy load one commit serves many.
 *
 * <p>A second (third, ...) group goes in flight beside one already committing only when at least {@code parallelFrom}
 * events are queued: a group's transaction has a fixed cost (round trips, a commit) that single-event requests in
 * small parallel groups pay again and again, while large groups (batches) gain from running side by side. So
 * single events queue behind the one group in flight and form larger groups, and batches still commit in parallel.
 *
 * @param <W> a queued write; the committer settles every write of the group it is given (a write it leaves
 *            unsettled, or all of them when it throws, fail with what it threw)
 */
final class GroupCommit<W extends GroupCommit.Pending<?>> {
    /** A write waiting in the queue: its size (to bound a group), then its outcome. */
    abstract static class Pending<R> {
        final Semaphore wake = new Semaphore(0);
        /** When it was queued (System.nanoTime): how long the oldest write has waited bounds the pace's hold. */
        final long queuedAt = System.nanoTime();
        private volatile boolean settled;
        volatile boolean taken;
        private R result;
        private RuntimeException failure;

        abstract int size();

        final void succeed(R value) {
            result = value;
            settle();
        }

        final void fail(RuntimeException e) {
            failure = e;
            settle();
        }

        /** The outcome, once settled: the result, or the failure rethrown on the request's thread. */
        final R outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        private void settle() {
            settled = true;   // volatile write after the outcome fields: the request thread sees both
            wake.release();
        }

        final boolean settled() {
            return settled;
        }
    }

    /** A follower re-checks after this long even without a hand-off: a lost wake-up costs latency, never a hang. */
    private static final long RECHECK_MS = 20;

    private final ConcurrentLinkedQueue<W> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore leaders;
    /** Groups in flight (leaders past their admission). */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Events queued and not yet taken (sum of sizes). */
    private final AtomicLong queuedEvents = new AtomicLong();
    private final int parallelFrom;
    private final int maxSize;
    private final Consumer<LongSupplier> beforeGroup;
    private final Consumer<List<W>> committer;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    /** Time the committer took, summed over the groups (several in flight add up). */
    private final LongAdder committingNanos = new LongAdder();

    GroupCommit(int leaders, int maxSize, Consumer<List<W>> committer) {
        this(leaders, 1, maxSize, oldest -> { }, committer);
    }

    /**
     * @param beforeGroup run by a leader before it takes its group, given how long (ms) the oldest queued write has
     *                    waited so far (the intake pace, {@link IntakePace#await}): what
     *                    queues meanwhile joins that group
     * @param parallelFrom how many events must be queued for another group to start while one is in flight (1: as
     *                    soon as anything is queued and a leader is free)
     */
    GroupCommit(int leaders, int parallelFrom, int maxSize, Consumer<LongSupplier> beforeGroup,
                Consumer<List<W>> committer) {
        if (parallelFrom < 1) {
            throw new IllegalArgumentException("parallelFrom must be at least 1");
        }
        this.leaders = new Semaphore(leaders);
        this.parallelFrom = parallelFrom;
        this.maxSize = maxSize;
        this.beforeGroup = beforeGroup;
        this.committer = committer;
    }

    /** Queues the write and returns once it is settled (by this thread or by another leader). */
    void submit(W write) {
        queuedEvents.addAndGet(write.size());
        queue.add(write);
        while (!write.settled()) {
            // a write already taken is in a group in flight: its request waits for the outcome, it does not lead
            if (!write.taken && admitLeader()) {
                try {
                    lead();
                } finally {
                    inFlight.decrementAndGet();
                    leaders.release();
                }
                handOff();
            } else {
                try {
                    write.wake.tryAcquire(RECHECK_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    // the write stays queued and is committed by a leader; this request no longer waits for it
                    throw new StorageUnavailableException("interrupted while the journal committed", e);
                }
            }
        }
    }

    /**
     * Whether this thread may lead a group now: a leader's place is free, and either no group is in flight or enough
     * events are queued to be worth a transaction of their own beside it.
     */
    private boolean admitLeader() {
        if (!leaders.tryAcquire()) {
            return false;
        }
        if (inFlight.incrementAndGet() > 1 && queuedEvents.get() < parallelFrom) {
            inFlight.decrementAndGet();
            leaders.release();
            return false;   // the group in flight hands off to the head of the queue when it is done
        }
        return true;
    }

    private void lead() {
        if (queue.isEmpty()) {
            return;   // another leader took this write's group meanwhile
        }
        beforeGroup.accept(this::oldestWaitMillis);
        List<W> group = new ArrayList<>();
        int size = 0;
        for (W next = queue.peek(); next != null; next = queue.peek()) {
            if (!group.isEmpty() && size + next.size() > maxSize) {
                break;
            }
            W taken = queue.poll();
            if (taken == null) {
                break;
            }
            taken.taken = true;
            queuedEvents.addAndGet(-taken.size());
            group.add(taken);
            size += taken.size();
        }
        if (group.isEmpty()) {
            return;
        }
        groups.incrementAndGet();
        writes.addAndGet(group.size());
        RuntimeException failure = null;
        long started = System.nanoTime();
        try {
            committer.accept(group);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("group commit failed: " + e, e);
        } finally {
            committingNanos.add(System.nanoTime() - started);
        }
        for (W w : group) {
            if (!w.settled()) {
                // a follower waits until settled: whatever went wrong, no write is left waiting forever
                w.fail(failure != null ? failure : new IllegalStateException("group commit left a write unsettled"));
            }
        }
    }

    /** How long the oldest write still queued has waited, in milliseconds (0 when none is). */
    private long oldestWaitMillis() {
        W head = queue.peek();
        return head == null ? 0 : (System.nanoTime() - head.queuedAt) / 1_000_000;
    }

    /** Groups handed to the committer so far. */
    long groups() {
        return groups.get();
    }

    /** Nanoseconds the committer took for those groups, summed. */
    long committingNanos() {
        return committingNanos.sum();
    }

    /** Writes in those groups. */
    long writes() {
        return writes.get();
    }

    /** Writes queued and not yet taken by a leader. */
    int queued() {
        return queue.size();
    }

    /** Wakes the oldest waiting write, so that what queued during this group is led next without delay. */
    private void handOff() {
        W head = queue.peek();
        if (head != null) {
            head.wake.release();
        }
    }
}
