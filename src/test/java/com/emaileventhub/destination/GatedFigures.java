package com.emaileventhub.destination;

import com.emaileventhub.event.CanonicalEvent;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Stands before the insight figures in a test route: while gated, each batch takes a permit the test hands out (the
 * destination falls behind as slowly as the test wants), and it fails as an outage when told to.
 */
public class GatedFigures {
    private final Semaphore permits = new Semaphore(0);
    public volatile boolean gated = true;
    public volatile boolean outage;

    public void check(List<CanonicalEvent> events) throws InterruptedException {
        if (gated && !permits.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let this batch through");
        }
        if (outage) {
            throw new IllegalStateException("the figures' database is away");
        }
    }

    public void let(int batches) {
        permits.release(batches);
    }

    public void open() {
        gated = false;
        permits.release(1000);
    }
}
