package com.emaileventhub.destination;

import com.emaileventhub.destination.archive.ArchiveBatch;
import com.emaileventhub.destination.suppression.SuppressionForward;
import com.emaileventhub.destination.suppression.SuppressionRules;
import com.emaileventhub.destination.suppression.SuppressionSettings;
import com.emaileventhub.store.ArchiveDatabase;
import com.emaileventhub.store.ArchiveSettings;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.IntakePace;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.RecentEvents;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.telemetry.ContextEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;

/**
 * Everything durable delivery needs, in one place for Hub to wire: the queue, the engine, and the beans
 * the archive and suppression routes refer to.
 */
public final class DeliveryModule implements AutoCloseable {
    private final ArchiveDatabase archive;
    private final DeliveryQueue queue;
    private final DeliveryEngine engine;
    private final SuppressionStore suppressions;
    private final SuppressionRules rules;
    private final Clock clock;

    /**
     * @param journalFed destinations that follow the journal with a cursor of their own (table hub_cursor) instead of
     *                   outbox rows: every stored event goes to them
     * @param routed     destinations that follow the journal with a cursor of their own but take only the rows whose
     *                   routes column names them (the fan-out's choice)
     * @param pace       the journal's intake pace, told by both kinds how far behind they stand
     * @param recent     the events the journal stored lately, which both kinds take from memory instead of parsing
     * @param archiveName the archive destination's name: not polled where the journal is the archive's recent part
     */
    public DeliveryModule(DeliverySettings delivery, SuppressionSettings suppression, ArchiveSettings archive,
                          Database database, MeterRegistry registry, Clock clock, Set<String> journalFed,
                          Set<String> routed, IntakePace pace, RecentEvents recent, String archiveName) {
        this.clock = clock;
        this.archive = ArchiveDatabase.open(archive, database);
        this.queue = new DeliveryQueue(database);
        this.engine = new DeliveryEngine(queue, delivery, registry, clock, delivery.instanceId(),
                name -> journalFed.contains(name) || routed.contains(name)
                        ? new JournalCursor(database, name, routed.contains(name), recent) : null, pace,
                this.archive.inJournal() ? Set.of(archiveName) : Set.of());
        this.suppressions = new SuppressionStore(database);
        this.rules = new SuppressionRules(suppressions, suppression.softBounceThreshold(), suppression.softBounceWindow(),
                suppression.forwarding(), clock);
    }

    /** Registry beans, by the names the YAML routes use. */
    public void bind(BiConsumer<String, Object> registry) {
        registry.accept("archiveDataSource", archive.dataSource());
        registry.accept("archiveBatch", new ArchiveBatch(archive.dialect()));
        registry.accept("suppressionRules", rules);
        registry.accept("suppressionForward", new SuppressionForward());
        registry.accept("deliveryEngine", engine);
    }

    /**
     * Ties the engine to the context's life: it starts once every route has started (one worker per
     * destination route) and stops as soon as the context begins to stop, before the routes do, so a
     * batch in flight finishes and records its outcome.
     */
    public void attach(CamelContext context) {
        context.getManagementStrategy().addEventNotifier(ContextEvents.on(
                Set.of(CamelEvent.CamelContextStartedEvent.class, CamelEvent.CamelContextStoppingEvent.class), event -> {
                    if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        engine.start(context);
                    } else {
                        engine.stop();
                    }
                }));
    }

    /** The archive's database: the hub's own unless hub.archive.db.url names another. */
    public ArchiveDatabase archive() {
        return archive;
    }

    public void stop() {
        engine.stop();
    }

    public DeliveryEngine engine() {
        return engine;
    }

    public DeliveryQueue queue() {
        return queue;
    }

    public SuppressionRules rules() {
        return rules;
    }

    public SuppressionStore suppressions() {
        return suppressions;
    }

    @Override
    public void close() {
        engine.stop();
        archive.close();
    }
}
