package com.emaileventhub.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal bounded: events past the retention period (also the de-duplication window; moved to the
 * archive's table where the journal is the archive's recent part),
 * delivered or dead outbox rows as old, and replay tokens past the longest signature tolerance (older requests fail the timestamp check anyway).
 */
public final class JournalMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(JournalMaintenance.class);

    private final Journal journal;
    private final Duration retention;
    private final Duration tokenWindow;
    private final Clock clock;
    private final Supplier<? extends Collection<String>> cursors;
    private final boolean moveToArchive;

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
        this(journal, retention, tokenWindow, clock, cursors, false);
    }

    /**
     * @param moveToArchive the journal is the archive's recent part (store/ArchiveDatabase#inJournal, the archive
     *                      switched on): the events past retention move to hub_archive_past instead of being dropped
     */
    public JournalMaintenance(Journal journal, Duration retention, Duration tokenWindow, Clock clock,
                              Supplier<? extends Collection<String>> cursors, boolean moveToArchive) {
        this.moveToArchive = moveToArchive;
        this.cursors = cursors;
        this.journal = journal;
        this.retention = retention;
        this.tokenWindow = tokenWindow;
        this.clock = clock;
    }

    public void run() {
        int tokens = journal.purgeReplayTokens(clock.instant().minus(tokenWindow));
        List<String> passed = List.copyOf(cursors.get());
        Instant olderThan = clock.instant().minus(retention);
        int events = moveToArchive ? journal.archiveEvents(olderThan, passed) : journal.purgeEvents(olderThan, passed);
        int deliveries = journal.purgeSettledDeliveries(olderThan);
        if (tokens > 0 || events > 0 || deliveries > 0) {
            LOG.info("journal maintenance: {} events past {} {}, {} settled deliveries removed, {} replay tokens past {}",
                    events, retention, moveToArchive ? "moved to the archive (hub_archive_past)" : "removed", deliveries,
                    tokens, tokenWindow);
        }
    }
}
