package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Keeps the insight figures: applies a batch of stored events to the per-send state, the rollup rows, the
 * clicked links and the bounce reasons, in one transaction. The figures follow the journal with a cursor
 * ({@link JournalCursor}): the batch's transaction moves the cursor, so each event counts once. A batch that comes
 * through the outbox instead (an item put back by a replay) records its event ids in the same transaction, so an
 * event delivered again changes nothing. A send's outcomes belong to its time,
 * the earliest occurred_at of its events: an earlier event arriving late moves the whole send (its counts
 * leave the old rows and join the new ones), as does a new tag joining its tag set.
 */
public final class InsightStore {
    private final DataSource dataSource;
    private final Database.Dialect dialect;
    private final Clock clock;

    public InsightStore(Database database, Clock clock) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.clock = clock;
    }

    /** A batch from the outbox: applied once whatever how often it comes. */
    public void apply(List<CanonicalEvent> events) {
        apply(events, null);
    }

    /**
     * The insight destination's delivery: a batch read from the journal after the cursor ({@code advance}), which
     * moves with it, or (advance null) a batch from the outbox. A batch whose cursor another instance moved first is
     * not applied again.
     *
     * @return false when another instance had moved the cursor first (nothing was applied)
     */
    public boolean apply(List<CanonicalEvent> events, JournalCursor.Advance advance) {
        long now = clock.millis();
        try {
            return Transactions.inTransaction(dataSource, c -> {
                if (advance == null) {
                    applyIn(c, new InsightRows(c, dialect).markApplied(events, now));
                } else if (JournalCursor.advance(c, advance, now)) {
                    applyIn(c, events);
                } else {
                    return false;
                }
                return true;
            });
        } catch (SQLException e) {
            throw StorageUnavailableException.of("insight figures", e);
        }
    }

    private void applyIn(Connection c, List<CanonicalEvent> batch) throws SQLException {
        InsightRows rows = new InsightRows(c, dialect);
        InsightDetailRows details = new InsightDetailRows(c, dialect);
        List<CanonicalEvent> events = new ArrayList<>(batch);
        events.sort(Comparator.comparing(CanonicalEvent::occurredAt).thenComparing(CanonicalEvent::id));
        Map<String, List<CanonicalEvent>> bySend = new LinkedHashMap<>();
        InsightRollups rollups = new InsightRollups();
        for (CanonicalEvent e : events) {
            if (Sends.belongsToSend(e)) {
                String id = SendState.id(e.esp(), Sends.sendKey(e.esp(), e.messageId()), e.recipient());
                bySend.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            } else {
                String tagset = rows.tagset(Set.copyOf(e.tags()));
                if (rows.insertOrphan(e, tagset)) {
                    rollups.add(e.occurredAt().toEpochMilli(), e.esp(), Sends.recipientDomain(e.recipient()), tagset,
                            InsightCounts.ofEvent(e.type(), e.machine()), 1);
                }
            }
        }
        Map<String, SendState> known = rows.lockSends(bySend.keySet());
        List<SendState> changed = new ArrayList<>();
        for (Map.Entry<String, List<CanonicalEvent>> entry : bySend.entrySet()) {
            SendState before = known.get(entry.getKey());
            SendState after = before != null ? before.copy() : first(entry.getValue().get(0));
            for (CanonicalEvent e : entry.getValue()) {
                after.apply(e);
                collectDetails(details, after, e);
            }
            if (before != null) {
                rollups.add(before.sentAt, before.esp, before.domain(), rows.tagset(before.tags), before.vector(), -1);
            }
            rollups.add(after.sentAt, after.esp, after.domain(), rows.tagset(after.tags), after.vector(), 1);
            changed.add(after);
        }
        InsightDetailRollups detailRollups = detailRollups(rows, details, known, changed);
        rows.saveSends(changed, known.keySet());
        rows.writeTagsets();
        details.writeDetails();
        rollups.write(c, dialect);
        detailRollups.write(c, dialect);
    }

    /**
     * The link and bounce-reason rollups of the sends whose details this batch adds to, or whose quarter hour or tag
     * set it changes: each such send is taken away with what was stored and added with what it holds now.
     */
    private static InsightDetailRollups detailRollups(InsightRows rows, InsightDetailRows details,
                                                      Map<String, SendState> known, List<SendState> changed) throws SQLException {
        List<SendState> touched = new ArrayList<>();
        List<SendState> stored = new ArrayList<>();
        for (SendState after : changed) {
            SendState before = known.get(after.id());
            boolean moved = before != null && (InsightRollups.quarter(before.sentAt) != InsightRollups.quarter(after.sentAt)
                    || !before.tags.equals(after.tags));
            if (moved || !details.batchDetails(after.id()).isEmpty()) {
                touched.add(after);
                if (before != null) {
                    stored.add(before);
                }
            }
        }
        Map<String, SendDetails> was = stored.isEmpty() ? Map.of() : details.storedDetails(stored);
        InsightDetailRollups out = new InsightDetailRollups();
        for (SendState after : touched) {
            SendDetails old = was.getOrDefault(after.id(), new SendDetails());
            SendState before = known.get(after.id());
            if (before != null) {
                out.add(before, rows.tagset(before.tags), old, -1);
            }
            out.add(after, rows.tagset(after.tags), old.plus(details.batchDetails(after.id())), 1);
        }
        return out;
    }

    private static SendState first(CanonicalEvent e) {
        return new SendState(e.esp(), Sends.sendKey(e.esp(), e.messageId()), e.recipient(),
                e.occurredAt().toEpochMilli());
    }

    /** Clicked links and bounce reasons of the send. */
    private static void collectDetails(InsightDetailRows details, SendState send, CanonicalEvent e) {
        if (e.type() == EventType.CLICKED && e.url() != null) {
            details.click(send, linkUrl(e.url()), e.machine());
        } else if (e.type() == EventType.BOUNCED) {
            details.bounce(send, e.reason() == null ? null : e.reason().trim(), e.bounceTypeName());
        }
    }

    /** The clicked URL without its query string and fragment. */
    public static String linkUrl(String url) {
        int cut = url.length();
        int q = url.indexOf('?');
        int f = url.indexOf('#');
        if (q >= 0) {
            cut = q;
        }
        if (f >= 0 && f < cut) {
            cut = f;
        }
        return url.substring(0, cut);
    }
}
