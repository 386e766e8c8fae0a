package com.emaileventhub.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One admitted webhook request and its in-flight permit. The permit stands for "a worker is, or will
 * be, busy with this request", so it is held until the route has run, even when the client was
 * already answered at the deadline: a hung route keeps its permit, and the gate sheds new requests
 * instead of queueing them behind it. A request that never reaches a worker (refused by Vert.x, its
 * connection lost) gives the permit back when its response ends.
 */
final class Admission {
    private static final int ADMITTED = 0;
    private static final int DISPATCHED = 1;
    private static final int PROCESSING = 2;
    private static final int RELEASED = 3;

    private final AtomicInteger state = new AtomicInteger(ADMITTED);
    private final Runnable release;
    private final String vendor;
    private final long startedNanos;
    private volatile boolean answered;

    Admission(String vendor, long startedNanos, Runnable release) {
        this.vendor = vendor;
        this.startedNanos = startedNanos;
        this.release = release;
    }

    String vendor() {
        return vendor;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Event loop: the body is read and the request is handed to a worker. */
    void dispatched() {
        state.compareAndSet(ADMITTED, DISPATCHED);
    }

    /** Worker: whether the route may still run; false once the client got the deadline answer. */
    boolean begin() {
        if (answered) {
            releaseFrom(DISPATCHED);
            return false;
        }
        return state.compareAndSet(DISPATCHED, PROCESSING) || state.compareAndSet(ADMITTED, PROCESSING);
    }

    /** Worker: the route has run. */
    void finish() {
        releaseFrom(PROCESSING);
    }

    /** Event loop, at the deadline: whether the gate answers (the route has not finished yet). */
    boolean expire() {
        if (state.get() == RELEASED) {
            return false;
        }
        answered = true;
        return true;
    }

    /** Event loop: the response ended (or the connection closed). */
    void responseEnded() {
        if (!releaseFrom(ADMITTED) && !answered) {
            // handed over, but Camel answered without running the route (a suspended consumer)
            releaseFrom(DISPATCHED);
        }
    }

    private boolean releaseFrom(int expected) {
        if (state.compareAndSet(expected, RELEASED)) {
            release.run();
            return true;
        }
        return false;
    }
}
