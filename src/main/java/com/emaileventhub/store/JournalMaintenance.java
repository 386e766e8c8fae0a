package com.emaileventhub.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal bounded: events past the retention period (also the de-duplication window),
 * delivered or dead outbox rows as old, and replay tokens past the longest signature tolerance (older requests fail the timestamp check anyway).
 */
public final class JournalMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(JournalMaintenance.class);

    private final Journal journal;
    private final Duration retention;
    private final Duration tokenWindow;
    private final Clock clock;
    private final Supplier<? extends Collection<String>> cursors;

    /** @param cursors the journal cursors in use (hub_cursor): an event none of them has passed yet stays */
    public JournalMaintenance(Journal journal, Duration retention, Duration tokenWindow, Clock clock,
                              Collection<String> cursors) {
        this(journal, retention, tokenWindow, clock, () -> cursors);
    }

    /**
     * @param cursors the journal cursors in use, asked at each run: a cursor whose destination is switched off or has
     *                no route any more stands still, and must not keep every later event in the journal for ever
     */
    public JournalMaintenance(Journal journal, Duration retention, Duration tokenWindow, Clock clock,
                              Supplier<? extends Collection<String>> cursors) {
        this.cursors = cursors;
        this.journal = journal;
        this.retention = retention;
        this.tokenWindow = tokenWindow;
        this.clock = clock;
    }

    public void run() {
        int tokens = journal.purgeReplayTokens(clock.instant().minus(tokenWindow));
        int events = journal.purgeEvents(clock.instant().minus(retention), List.copyOf(cursors.get()));
        int deliveries = journal.purgeSettledDeliveries(clock.instant().minus(retention));
        if (tokens > 0 || events > 0 || deliveries > 0) {
            LOG.info("journal maintenance: removed {} events and {} settled deliveries past {}, {} replay tokens past {}",
                    events, deliveries, retention, tokens, tokenWindow);
        }
    }
}
