package com.emaileventhub.http;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A route step that hangs until the test lets it go: a stand-in for processing that never ends. */
public final class HeldRoute {
    static final AtomicInteger STARTED = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(1);

    public void hold() throws InterruptedException {
        STARTED.incrementAndGet();
        release.await(60, TimeUnit.SECONDS);
    }

    static void reset() {
        STARTED.set(0);
        release = new CountDownLatch(1);
    }
}
