package com.emaileventhub.destination;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with equal jitter: after failed attempt n the wait is d/2 + random(0..d/2) with
 * d = first * 2^(n-1) capped at max. Jitter keeps a recovering destination from being hit by every
 * queued item at the same instant; the half that is not random keeps the doubling visible. A
 * destination's Retry-After is a floor: we never come back earlier than it asked.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;

    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max.compareTo(first) < 0 ? first : max;
    }

    /** @param attempt the number of the attempt that just failed, from 1 */
    public Duration delay(int attempt, Duration retryAfter) {
        long cap = max.toMillis();
        long d = first.toMillis();
        for (int i = 1; i < attempt && d < cap; i++) {
            d *= 2;
        }
        d = Math.min(d, cap);
        long half = d / 2;
        long wait = half + ThreadLocalRandom.current().nextLong(d - half + 1);
        if (retryAfter != null && !retryAfter.isNegative() && retryAfter.toMillis() > wait) {
            wait = retryAfter.toMillis();
        }
        return Duration.ofMillis(wait);
    }
}
