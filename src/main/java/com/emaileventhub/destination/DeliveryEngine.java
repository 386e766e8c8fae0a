package com.emaileventhub.destination;

import com.emaileventhub.intake.DestinationRoutes;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.IntakePace;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.telemetry.DeliveryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Durable per-destination delivery: one worker thread per destination whose route
 * ({@code direct:deliver-NAME}) exists, each draining its own queue at its own pace.
 * Started after Camel has started its routes, stopped before Camel stops them.
 */
public final class DeliveryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** How long stopping waits for a batch in flight before interrupting it. */
    private static final long SHUTDOWN_WAIT_MILLIS = 30_000;

    private final DeliveryQueue queue;
    private final DeliverySettings settings;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String owner;
    private final Function<String, JournalCursor> cursors;
    private final IntakePace pace;
    private final Set<String> keptByJournal;
    private final Map<String, DestinationWorker> workers = new LinkedHashMap<>();
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private ExecutorServiceManager executorServices;
    private volatile boolean running;
    private Consumer<DestinationWorker> onWorker = w -> { };

    /**
     * @param cursors per destination, its journal cursor, or null where it reads its outbox rows only
     * @param pace    what the journal-fed destinations report their lag to (the journal's)
     * @param keptByJournal destinations whose route is not polled because the journal itself keeps what they would
     *                      copy (the archive in the hub's own database)
     */
    public DeliveryEngine(DeliveryQueue queue, DeliverySettings settings, MeterRegistry registry, Clock clock,
                          String owner, Function<String, JournalCursor> cursors, IntakePace pace,
                          Set<String> keptByJournal) {
        this.keptByJournal = Set.copyOf(keptByJournal);
        this.cursors = cursors;
        this.pace = pace;
        this.queue = queue;
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        this.owner = owner;
    }

    /** Told of each worker as it is created (health checks are registered from above this package). */
    public synchronized void onWorker(Consumer<DestinationWorker> listener) {
        this.onWorker = listener;
    }

    public DeliverySettings settings() {
        return settings;
    }

    public synchronized void start(CamelContext context) {
        if (running) {
            return;
        }
        running = true;
        executorServices = context.getExecutorServiceManager();
        if (workers.isEmpty()) {
            for (String name : DestinationRoutes.names(context)) {
                if (!settings.enabled(name)) {
                    LOG.info("destination {} has a route but hub.{}.enabled=false: not polled", name, name);
                    continue;
                }
                if (keptByJournal.contains(name)) {
                    LOG.info("destination {}: the journal is its recent part (its database is the hub's), nothing is "
                            + "copied: not polled", name);
                    continue;
                }
                DestinationWorker worker = new DestinationWorker(name, context, queue, cursors.apply(name), pace, settings,
                        new DeliveryMetrics(registry, name), clock, owner);
                workers.put(name, worker);
                onWorker.accept(worker);
            }
        }
        for (DestinationWorker worker : workers.values()) {
            String name = worker.destination();
            // several loops claim disjoint items only where claims skip locked rows (PostgreSQL); a journal cursor
            // is one position, taken by one loop at a time
            int loops = queue.concurrentClaims() && !worker.followsJournal() ? settings.workers(name) : 1;
            // Camel's pools: named after the destination, daemon threads, listed and shut down with the context
            ScheduledExecutorService executor = executorServices.newScheduledThreadPool(this, "hub-deliver-" + name, loops);
            // a poll scheduled far ahead must not hold up shutdown
            threadPool(executor).setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executors.add(executor);
            for (int i = 0; i < loops; i++) {
                executor.execute(() -> loop(worker, executor));
            }
            LOG.info("delivering to {} (batch size {}, {} loop(s), instance {})", name, worker.batchSize(), loops, owner);
        }
    }

    /** Camel hands out its pool itself or, with a bounded queue, wrapped in a SizedScheduledExecutorService. */
    private static ScheduledThreadPoolExecutor threadPool(ScheduledExecutorService executor) {
        if (executor instanceof ScheduledThreadPoolExecutor pool) {
            return pool;
        }
        if (executor instanceof SizedScheduledExecutorService sized) {
            return sized.getScheduledThreadPoolExecutor();
        }
        throw new IllegalStateException("unexpected scheduled pool " + executor.getClass().getName());
    }

    private void loop(DestinationWorker worker, ScheduledExecutorService executor) {
        if (!running) {
            return;
        }
        long delay = settings.pollInterval().toMillis();
        MDC.put(DestinationWorker.MDC_DESTINATION, worker.destination());
        try {
            int claimed = worker.runOnce();
            if (claimed >= worker.batchSize()) {
                delay = 0;   // a full batch: more is probably due
            }
        } catch (RuntimeException e) {
            // the database is away or the outcome could not be written: leases bring the items back
            LOG.warn("{}: delivery round failed: {}", worker.destination(), e.getMessage());
        } finally {
            MDC.remove(DestinationWorker.MDC_DESTINATION);   // the pool's threads serve the next round
        }
        if (running) {
            try {
                executor.schedule(() -> loop(worker, executor), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ignored) {
                // stopping
            }
        }
    }

    /** Stops polling and lets a batch in flight finish, so its outcome is recorded. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        // no new rounds (a loop seeing running=false ends); polls scheduled ahead are dropped at once (policy above),
        // a batch in flight may finish. shutdownGraceful skips a pool already shut down, so it does the shutdown itself
        for (ScheduledExecutorService e : executors) {
            executorServices.shutdownGraceful(e, SHUTDOWN_WAIT_MILLIS);
        }
        executors.clear();
        workers.values().forEach(DestinationWorker::withdraw);   // a stopped destination does not pace intake
        LOG.info("delivery stopped");
    }

    public DestinationWorker worker(String destination) {
        return workers.get(destination);
    }

    public Map<String, DestinationWorker> workers() {
        return workers;
    }

    public String owner() {
        return owner;
    }
}
