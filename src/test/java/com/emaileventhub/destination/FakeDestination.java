package com.emaileventhub.destination;

import com.emaileventhub.event.CanonicalEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;

/** A destination whose behaviour a test sets: counts each event it took, fails on demand. */
public class FakeDestination {
    /** event id -> times delivered successfully (the exchange completed and the id was not refused). */
    public final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    /** nanoTime of each call. */
    public final List<Long> calls = new CopyOnWriteArrayList<>();
    public final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    public final AtomicInteger overlaps = new AtomicInteger();
    public final AtomicInteger failuresLeft = new AtomicInteger();
    public volatile Duration retryAfter;
    public volatile boolean configurationError;
    public volatile boolean alwaysFail;
    /** Events accepted before the fake starts failing ("full"). */
    public volatile int capacity = Integer.MAX_VALUE;
    public final Set<String> refuse = ConcurrentHashMap.newKeySet();
    /** event id -> how many more times it is answered "retry". */
    public final Map<String, AtomicInteger> retryTimes = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public void accept(Exchange exchange) {
        calls.add(System.nanoTime());
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        for (CanonicalEvent e : events) {
            if (!inFlight.add(e.id())) {
                overlaps.incrementAndGet();
            }
        }
        try {
            if (configurationError) {
                throw new DestinationConfigurationException("401 from fake");
            }
            if (alwaysFail || total() >= capacity || failuresLeft.getAndDecrement() > 0) {
                if (retryAfter != null) {
                    exchange.setProperty(Delivery.RETRY_AFTER, retryAfter);
                }
                throw new IllegalStateException("fake is down");
            }
            Map<String, String> failed = new ConcurrentHashMap<>();
            Map<String, String> retry = new ConcurrentHashMap<>();
            for (CanonicalEvent e : events) {
                AtomicInteger r = retryTimes.get(e.id());
                if (refuse.contains(e.id())) {
                    failed.put(e.id(), "refused");
                } else if (r != null && r.getAndDecrement() > 0) {
                    retry.put(e.id(), "try later");
                } else {
                    delivered.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
            exchange.setProperty(Delivery.FAILED, failed);
            exchange.setProperty(Delivery.RETRY, retry);
        } finally {
            events.forEach(e -> inFlight.remove(e.id()));
        }
    }

    public int total() {
        return delivered.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
