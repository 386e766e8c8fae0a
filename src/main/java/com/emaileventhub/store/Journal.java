package com.emaileventhub.store;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The durable journal. All events of one request, their outbox rows and the request's replay token are
 * written in one transaction; duplicates (same id) are skipped, not failed. Concurrent requests share
 * transactions (group commit, {@link GroupCommit}): each request still gets its answer only after the
 * commit that holds its events, and a request whose rows the database refuses fails alone.
 */
public final class Journal {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK = "40P01";
    /** Column sizes of db/migration/V1__journal.sql. */
    static final int RECIPIENT_COLUMN = 512;
    static final int MESSAGE_ID_COLUMN = 1024;
    static final int TOKEN_COLUMN = 256;
    static final int ESP_EVENT_ID_LIMIT = 1024;

    private final DataSource dataSource;
    private final Database.Dialect dialect;
    private final JournalPositions positions;
    private final GroupCommit<Write> group;
    private final IntakePace pace;
    private final Set<String> routed;
    private final RecentEvents recent;

    /** A journal with the group commit of application.properties (tests, tools). */
    public Journal(Database database) {
        this(database, JournalSettings.from(HubConfig.load(Map.of())));
    }

    /** Every destination the fan-out chooses gets an outbox row. */
    public Journal(Database database, JournalSettings settings) {
        this(database, settings, Set.of());
    }

    /**
     * @param routed destinations that follow the journal with a cursor but take only the events chosen for them: the
     *               choice is stored on the journal row (column routes, {@link #routes}) instead of an outbox row
     */
    public Journal(Database database, JournalSettings settings, Set<String> routed) {
        this(database, settings, routed, RecentEvents.NONE);
    }

    /** @param recent told the events of each committed group, for the destinations that read them back */
    public Journal(Database database, JournalSettings settings, Set<String> routed, RecentEvents recent) {
        this.routed = Set.copyOf(routed);
        this.recent = recent;
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.positions = database.positions();
        this.pace = settings.pace();
        this.group = new GroupCommit<>(settings.writers(), settings.parallelGroupEvents(), settings.groupMaxEvents(),
                pace::await, this::commit);
    }

    /** How intake is paced to the journal-fed destinations: they report to it, each group commit consults it. */
    public IntakePace pace() {
        return pace;
    }

    /**
     * Stores one request's events and returns once they are committed.
     *
     * @param destinations per event id, the destinations the fan-out rules chose (may be missing: none)
     * @throws WebhookRejection a replayed token (401) or rows the database refuses (400): nothing was stored
     * @throws StorageUnavailableException the database could not take the write (503): nothing was stored
     */
    public StoreResult store(String vendor, String replayToken, List<CanonicalEvent> events,
                             Map<String, List<String>> destinations, Instant now) {
        checkColumnSizes(replayToken, events);
        Write write = new Write(vendor, replayToken, events, destinations, now.toEpochMilli());
        group.submit(write);
        return write.outcome();
    }

    /** Group transactions committed or attempted so far (a group that failed counts too). */
    public long groupCommits() {
        return group.groups();
    }

    /** Seconds the group transactions took (first statement to commit, outcomes told), summed over the groups. */
    public double committingSeconds() {
        return group.committingNanos() / 1e9;
    }

    /** Requests those groups held. */
    public long groupedRequests() {
        return group.writes();
    }

    /** Requests waiting for a group to take them. */
    int queuedRequests() {
        return group.queued();
    }

    /** One request's part of a group: its events (each id once, request order) and their JSON, serialized by the caller. */
    static final class Write extends GroupCommit.Pending<StoreResult> {
        final String vendor;
        final String replayToken;
        final List<CanonicalEvent> events;
        final List<String> bodies;
        final Map<String, List<String>> destinations;
        final long now;
        final int requestEvents;

        Write(String vendor, String replayToken, List<CanonicalEvent> requestEvents,
              Map<String, List<String>> destinations, long now) {
            Map<String, CanonicalEvent> unique = new LinkedHashMap<>();
            for (CanonicalEvent e : requestEvents) {
                unique.putIfAbsent(e.id(), e);
            }
            this.vendor = vendor;
            this.replayToken = replayToken;
            this.events = new ArrayList<>(unique.values());
            this.bodies = new ArrayList<>(events.size());
            for (CanonicalEvent e : events) {
                bodies.add(toJson(e));
            }
            this.destinations = destinations;
            this.now = now;
            this.requestEvents = requestEvents.size();
        }

        @Override
        int size() {
            return Math.max(1, events.size());
        }
    }

    /**
     * Commits a group. When the database refuses a value, the group is committed again request by request, so
     * only the request that holds it fails (400) and its neighbours are stored.
     */
    private void commit(List<Write> writes) {
        try {
            commitTogether(writes);
        } catch (SQLException e) {
            if (writes.size() > 1 && (isDataError(e) || isUniqueViolation(e))) {
                for (Write w : writes) {
                    try {
                        commitTogether(List.of(w));
                    } catch (SQLException alone) {
                        w.fail(failure(alone));
                    }
                }
                return;
            }
            RuntimeException failure = failure(e);
            writes.forEach(w -> w.fail(failure));
        }
    }

    /**
     * On H2 two transactions inserting the same new id race to a unique violation; on PostgreSQL two groups inserting
     * the same new ids in different orders can deadlock, and the server rolls one back. One retry resolves either. On H2 the
     * transaction holds a reservation of journal positions until it has committed or rolled back, so that no cursor
     * passes its rows before they are visible.
     */
    private void commitTogether(List<Write> writes) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (JournalPositions.Reservation reserved = positions == null ? null : positions.open()) {
                Stored stored = new Stored();
                List<Object> outcomes = H2SingleWriter.intakeFirst(
                        () -> Transactions.inTransaction(dataSource, c -> write(c, writes, reserved, stored)));
                recent.remember(stored.events, stored.bodies, stored.inserted, pace.lagMillis());
                for (int i = 0; i < writes.size(); i++) {
                    if (outcomes.get(i) instanceof StoreResult r) {
                        writes.get(i).succeed(r);
                    } else {
                        writes.get(i).fail((RuntimeException) outcomes.get(i));
                    }
                }
                return;
            } catch (SQLException e) {
                if (!(isUniqueViolation(e) || isDeadlock(e)) || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * The group's rows in the caller's transaction. Returns per write its StoreResult, or the rejection of a
     * replayed token (that request's events are not written). An id repeated across requests belongs to the
     * first; the others count it as a duplicate, as if they had come after its commit.
     */
    private List<Object> write(Connection c, List<Write> writes, JournalPositions.Reservation reserved, Stored stored)
            throws SQLException {
        List<JournalRows.Token> tokens = new ArrayList<>();
        List<Integer> tokenOwners = new ArrayList<>();
        Set<JournalRows.Token> seen = new HashSet<>();
        Set<Integer> replayed = new HashSet<>();
        long latest = 0;
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            latest = Math.max(latest, w.now);
            if (w.replayToken != null) {
                JournalRows.Token t = new JournalRows.Token(w.vendor, w.replayToken, w.now);
                if (seen.add(new JournalRows.Token(w.vendor, w.replayToken, 0))) {
                    tokens.add(t);
                    tokenOwners.add(i);
                } else {
                    replayed.add(i);   // the same token twice in one group: the first request used it
                }
            }
        }
        for (int known : JournalRows.insertTokens(c, dialect, tokens)) {
            replayed.add(tokenOwners.get(known));
        }
        Map<String, Integer> owner = new HashMap<>();
        List<CanonicalEvent> events = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            if (replayed.contains(i)) {
                continue;
            }
            Write w = writes.get(i);
            for (int j = 0; j < w.events.size(); j++) {
                if (owner.putIfAbsent(w.events.get(j).id(), i) == null) {
                    events.add(w.events.get(j));
                    bodies.add(w.bodies.get(j));
                }
            }
        }
        List<List<String>> chosen = new ArrayList<>(events.size());
        List<String> routes = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            List<String> destinations = writes.get(owner.get(e.id())).destinations.getOrDefault(e.id(), List.of());
            chosen.add(destinations);
            routes.add(routes(destinations));
        }
        Set<String> inserted = JournalRows.insertEvents(c, dialect, events, bodies, routes, reserved);
        stored.events = events;
        stored.bodies = bodies;
        stored.inserted = inserted;
        List<String> names = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            if (inserted.contains(e.id())) {   // an event already known had its deliveries queued when first stored
                for (String destination : chosen.get(i)) {
                    if (!routed.contains(destination)) {
                        names.add(destination);
                        eventIds.add(e.id());
                    }
                }
            }
        }
        DeliveryQueue.enqueue(c, dialect, names, eventIds, latest);
        List<Object> outcomes = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            if (replayed.contains(i)) {
                outcomes.add(WebhookRejection.unauthorized(RejectionReason.REPLAY, "token was already used (replayed request)"));
                continue;
            }
            List<String> accepted = new ArrayList<>();
            for (CanonicalEvent e : w.events) {
                if (inserted.contains(e.id()) && owner.get(e.id()) == i) {
                    accepted.add(e.id());
                }
            }
            outcomes.add(new StoreResult(accepted, w.requestEvents - accepted.size()));
        }
        return outcomes;
    }

    /** The rows a group's transaction wrote, told to {@link RecentEvents} once it has committed. */
    private static final class Stored {
        List<CanonicalEvent> events = List.of();
        List<String> bodies = List.of();
        Set<String> inserted = Set.of();
    }

    /**
     * The routes column of an event: the routed destinations among those chosen, comma-framed (",leads,suppression,"),
     * so that a reader tests for ",NAME,"; null when none is.
     */
    private String routes(List<String> chosen) {
        StringBuilder out = null;
        for (String destination : chosen) {
            if (routed.contains(destination)) {
                out = (out == null ? new StringBuilder(",") : out).append(destination).append(',');
            }
        }
        return out == null ? null : out.toString();
    }

    /** What a request whose rows could not be written is told: 400 when the rows are wrong, else 503. */
    private static RuntimeException failure(SQLException e) {
        if (isDataError(e)) {
            // the same request would fail the same way forever: a 503 would have the ESP retry it for days
            return WebhookRejection.badRequest("the database refused a value of this request (SQLState "
                    + sqlState(e) + "); nothing was stored");
        }
        return StorageUnavailableException.of("journal write", e);
    }

    /** Drops tokens older than the window in which they could still be replayed. */
    public int purgeReplayTokens(Instant olderThan) {
        return purge("hub_replay_token", "vendor, token", "d.seen_at < ?", olderThan.toEpochMilli());
    }

    /**
     * Drops events past the retention period (which is also the de-duplication window) with no pending delivery and
     * that every cursor in use has passed.
     */
    public int purgeEvents(Instant olderThan, List<String> cursors) {
        List<Object> args = new ArrayList<>();
        String where = pastRetention(olderThan, cursors, args);
        return purge("hub_event", "id", where, args.toArray());
    }

    /**
     * As {@link #purgeEvents}, where the journal is the archive's recent part (store/ArchiveDatabase#inJournal): the
     * events move to the archive's table hub_archive_past instead of being dropped.
     */
    public int archiveEvents(Instant olderThan, List<String> cursors) {
        List<Object> args = new ArrayList<>();
        String where = pastRetention(olderThan, cursors, args);
        try (Connection c = dataSource.getConnection()) {
            return ArchiveMove.run(c, dialect, where, args.toArray());
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal maintenance", e);
        }
    }

    /** The journal rows (alias d) past retention, with no pending delivery, that every cursor in use has passed. */
    private static String pastRetention(Instant olderThan, List<String> cursors, List<Object> args) {
        StringBuilder where = new StringBuilder("d.received_at < ? AND NOT EXISTS "
                + "(SELECT 1 FROM hub_delivery p WHERE p.event_id = d.id AND p.status = 'pending')");
        args.add(olderThan.toEpochMilli());
        if (!cursors.isEmpty()) {
            where.append(" AND NOT EXISTS (SELECT 1 FROM hub_cursor k WHERE k.name IN (")
                    .append(String.join(",", Collections.nCopies(cursors.size(), "?")))
                    .append(") AND (d.tx > k.tx OR (d.tx = k.tx AND d.seq > k.seq)))");
            args.addAll(cursors);
        }
        return where.toString();
    }

    /** Drops delivered and dead outbox rows past the retention period (pending ones stay until settled). */
    public int purgeSettledDeliveries(Instant olderThan) {
        return purge("hub_delivery", "destination, event_id", "d.status <> 'pending' AND d.updated_at < ?",
                olderThan.toEpochMilli());
    }

    /** A purge in transactions of bounded size: one long DELETE makes H2 keep every chunk written meanwhile. */
    private int purge(String table, String key, String where, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return BatchedDelete.run(c, dialect, table, key, where, args);
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal maintenance", e);
        }
    }

    /**
     * The indexed columns hold the ids a lookup needs whole (recipient, message_id): cutting one would file
     * the event under another address or message, so an over-long id refuses the request, naming it. Every
     * other text (reason, url, user agent, raw) lives in the unbounded body column and is stored whole.
     */
    private static void checkColumnSizes(String replayToken, List<CanonicalEvent> events) {
        if (replayToken != null && replayToken.length() > TOKEN_COLUMN) {
            throw WebhookRejection.badRequest("the signature token is " + replayToken.length()
                    + " characters long; at most " + TOKEN_COLUMN + " are accepted");
        }
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            tooLong(i, "recipient", e.recipient(), RECIPIENT_COLUMN);   // and free of U+0000, as every id
            tooLong(i, "message_id", e.messageId(), MESSAGE_ID_COLUMN);
            // not a journal column, but the archive's (VARCHAR(1024)), and an id like the others
            tooLong(i, "esp_event_id", e.espEventId(), ESP_EVENT_ID_LIMIT);
        }
    }

    private static void tooLong(int index, String field, String value, int limit) {
        if (value != null && value.length() > limit) {
            throw WebhookRejection.badRequest("event " + index + ": " + field + " is " + value.length()
                    + " characters long; at most " + limit + " are kept and an id cannot be cut");
        }
        if (value != null && value.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold it; refused on H2 too, so that both databases answer alike
            throw WebhookRejection.badRequest("event " + index + ": " + field + " contains U+0000");
        }
    }

    /**
     * SQLState class 22 (data exception: value too long, NUL in text, bad encoding) and 23 (integrity) say the
     * rows themselves are wrong; connectivity (08), resources (53), lock time-outs and the like are outages.
     * A unique violation is a race between two requests storing the same new event and is retried above.
     */
    static boolean isDataError(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23")) && !UNIQUE_VIOLATION.equals(state);
    }

    private static String sqlState(SQLException e) {
        SQLException root = e.getNextException() != null ? e.getNextException() : e;
        return root.getSQLState() != null ? root.getSQLState() : e.getSQLState();
    }

    static boolean isUniqueViolation(SQLException e) {
        return hasState(e, UNIQUE_VIOLATION);
    }

    /** PostgreSQL's deadlock_detected: the server rolled this transaction back to let the other one go on. */
    static boolean isDeadlock(SQLException e) {
        return hasState(e, DEADLOCK);
    }

    /** True when {@code e}, a cause of it, or a batch's next exception has SQLState {@code state}. */
    private static boolean hasState(SQLException e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && state.equals(s.getSQLState())) {
                return true;
            }
            if (t instanceof BatchUpdateException b && b.getNextException() != null
                    && state.equals(b.getNextException().getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String toJson(CanonicalEvent e) {
        try {
            return Json.MAPPER.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("canonical event not serialisable", ex);
        }
    }
}
