package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The per-destination outbox (table hub_delivery): claims due items under a lease, records each
 * item's outcome, and answers the operator's questions (backlog, dead items, replay).
 *
 * <p>A claim writes the owner and a lease end, and moves next_attempt_at to the lease end: while an
 * instance works on an item nobody else sees it as due, and if that instance dies the item falls due
 * again by itself. On PostgreSQL the claim's SELECT takes row locks with SKIP LOCKED, so concurrent
 * instances pick disjoint items without waiting on each other.
 */
public final class DeliveryQueue {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";

    /** An item this instance now holds. */
    public record Claimed(String eventId, int attempts, long createdAt) {
    }

    /** The new state of a claimed item; status pending means "try again at nextAttemptAt". */
    public record Outcome(String eventId, String status, int attempts, long nextAttemptAt, String error) {
    }

    /** Pending items of one destination and the queue time of the oldest (null when none). */
    public record Backlog(long pending, Long oldestCreatedAt) {
    }

    /** One row of GET /api/deliveries; body is the stored canonical event JSON (null when purged). */
    public record Item(String eventId, String status, int attempts, String lastError, long createdAt,
                       long updatedAt, String body) {
    }

    /** A recorded attempt: the item's attempt count after it, when, the status it left, and its error. */
    public record Attempt(int attempt, long at, String status, String error) {
    }

    public record Page(List<Item> items, String nextCursor) {
    }

    /*
     * H2's claim. ORDER BY names the index's whole prefix: with ORDER BY next_attempt_at alone H2 read and sorted every
     * pending item of the destination before taking the first ones (593 ms a claim with 176,000 pending, 6 ms so).
     */
    static final String SELECT_DUE = "SELECT event_id, attempts, created_at FROM hub_delivery "
            + "WHERE destination = ? AND status = 'pending' AND next_attempt_at <= ? "
            + "ORDER BY destination, status, next_attempt_at LIMIT ?";
    private static final String LEASE = "UPDATE hub_delivery SET lease_owner = ?, lease_until = ?, next_attempt_at = ? "
            + "WHERE destination = ? AND event_id = ? AND status = 'pending' AND next_attempt_at <= ?";
    private static final String PG_CLAIM = "UPDATE hub_delivery d SET lease_owner = ?, lease_until = ?, next_attempt_at = ? "
            + "FROM (SELECT destination, event_id FROM hub_delivery WHERE destination = ? AND status = 'pending' "
            + "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due "
            + "WHERE d.destination = due.destination AND d.event_id = due.event_id "
            + "RETURNING d.event_id, d.attempts, d.created_at";
    private static final String APPLY = "UPDATE hub_delivery SET status = ?, attempts = ?, next_attempt_at = ?, "
            + "last_error = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL "
            + "WHERE destination = ? AND event_id = ? AND lease_owner = ?";
    private static final int MAX_ERROR = 2000;
    private static final int MAX_ATTEMPT_ERROR = 500;
    private static final String PG_ENQUEUE = "INSERT INTO hub_delivery (destination, event_id, status, attempts, "
            + "next_attempt_at, created_at, updated_at) SELECT d, e, 'pending', 0, ?, ?, ? "
            + "FROM unnest(?::varchar[], ?::varchar[]) AS t(d, e) ON CONFLICT DO NOTHING";
    /* insert-when-absent on H2 is a MERGE on the key (see SuppressionStore: INSERT ... WHERE NOT EXISTS misfired) */
    private static final String H2_ENQUEUE = "MERGE INTO hub_delivery d USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))) "
            + "AS v(destination, event_id, next_attempt_at, created_at, updated_at) "
            + "ON d.destination = v.destination AND d.event_id = v.event_id WHEN NOT MATCHED THEN INSERT "
            + "(destination, event_id, status, attempts, next_attempt_at, created_at, updated_at) "
            + "VALUES (v.destination, v.event_id, 'pending', 0, v.next_attempt_at, v.created_at, v.updated_at)";
    private static final String PG_ATTEMPT = "INSERT INTO hub_delivery_attempt (destination, event_id, attempt, at, "
            + "status, error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (destination, event_id, attempt) DO UPDATE SET "
            + "at = EXCLUDED.at, status = EXCLUDED.status, error = EXCLUDED.error";
    private static final String H2_ATTEMPT = "MERGE INTO hub_delivery_attempt (destination, event_id, attempt, at, "
            + "status, error) KEY (destination, event_id, attempt) VALUES (?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public DeliveryQueue(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    /** True where concurrent claimers get disjoint items without waiting (FOR UPDATE SKIP LOCKED). */
    public boolean concurrentClaims() {
        return dialect == Database.Dialect.POSTGRESQL;
    }

    /** Claims up to {@code limit} due items of a destination for {@code owner} until {@code leaseUntil}. */
    public List<Claimed> claim(String destination, int limit, long now, long leaseUntil, String owner) {
        if (dialect == Database.Dialect.POSTGRESQL) {
            return claimPostgres(destination, limit, now, leaseUntil, owner);
        }
        try {
            return Transactions.inTransaction(dataSource, c -> {
                List<Claimed> due = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(SELECT_DUE)) {
                    ps.setString(1, destination);
                    ps.setLong(2, now);
                    ps.setInt(3, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.add(new Claimed(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                        }
                    }
                }
                List<Claimed> claimed = new ArrayList<>(due.size());
                if (!due.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(LEASE)) {
                        for (Claimed item : due) {
                            ps.setString(1, owner);
                            ps.setLong(2, leaseUntil);
                            ps.setLong(3, leaseUntil);
                            ps.setString(4, destination);
                            ps.setString(5, item.eventId());
                            ps.setLong(6, now);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        for (int i = 0; i < counts.length; i++) {
                            // the guard in LEASE makes a row someone else claimed meanwhile count 0 (H2 has no SKIP LOCKED)
                            if (counts[i] != 0) {
                                claimed.add(due.get(i));
                            }
                        }
                    }
                }
                return claimed;
            });
        } catch (SQLException e) {
            throw new StorageUnavailableException("delivery claim failed: " + e.getMessage(), e);
        }
    }

    /** One round trip: lock due rows skipping those another instance holds, lease them, return them. */
    private List<Claimed> claimPostgres(String destination, int limit, long now, long leaseUntil, String owner) {
        List<Claimed> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PG_CLAIM)) {
            ps.setString(1, owner);
            ps.setLong(2, leaseUntil);
            ps.setLong(3, leaseUntil);
            ps.setString(4, destination);
            ps.setLong(5, now);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("delivery claim failed: " + e.getMessage(), e);
        }
        return claimed;
    }

    /** Stored canonical event JSON by id; ids missing from the result are no longer in the journal. */
    public Map<String, String> events(Collection<String> ids) {
        Map<String, String> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT id, body FROM hub_event WHERE id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("loading events failed: " + e.getMessage(), e);
        }
        if (out.size() < ids.size()) {
            manualSuppressions(ids.stream().filter(id -> !out.containsKey(id)).toList(), out);
        }
        if (out.size() < ids.size()) {
            alertNotifications(ids.stream().filter(id -> !out.containsKey(id)).toList(), out);
        }
        if (out.size() < ids.size()) {
            leadSignals(ids.stream().filter(id -> !out.containsKey(id)).toList(), out);
        }
        return out;
    }

    /**
     * A suppression added by hand has no journal event; what destination suppression-forward is queued for
     * is then the suppression row itself, handed over as an event of esp {@value SuppressionStore#MANUAL_ESP}
     * whose reason field holds the suppression's reason. Gone (lifted meanwhile) means not sent.
     */
    private void manualSuppressions(List<String> ids, Map<String, String> out) {
        StringBuilder sql = new StringBuilder("SELECT event_id, email, reason, first_at, created_at FROM hub_suppression "
                + "WHERE esp = ? AND event_id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, SuppressionStore.MANUAL_ESP);
            int i = 2;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CanonicalEvent e = new CanonicalEvent(rs.getString(1), SuppressionStore.MANUAL_ESP,
                            EventType.UNSUBSCRIBED, null, Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(2), null, null, rs.getString(3), null,
                            null, null, null, null, null, null);
                    out.put(e.id(), Json.MAPPER.writeValueAsString(e));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("loading suppressions failed: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An alert notification has no journal event either: an alert channel's worker gets a stand-in event of esp
     * {@value AlertStore#NOTIFICATION_ESP} with the notification's id and time; the channel reads its body.
     */
    private void alertNotifications(List<String> ids, Map<String, String> out) {
        for (AlertStore.Notification n : new AlertStore(dataSource, dialect).notifications(ids).values()) {
            Instant at = Instant.ofEpochMilli(n.createdAt());
            stand(new CanonicalEvent(n.id(), AlertStore.NOTIFICATION_ESP, EventType.UNKNOWN, null, at, at, null,
                    null, null, n.action(), null, null, null, null, null, null, null), out);
        }
    }

    /** A lead signal likewise: a stand-in event of esp {@value LeadStore#SIGNAL_ESP} with the signal's recipient. */
    private void leadSignals(List<String> ids, Map<String, String> out) {
        for (LeadStore.Signal s : new LeadStore(dataSource, dialect).byIds(ids).values()) {
            Instant at = Instant.ofEpochMilli(s.createdAt());
            stand(new CanonicalEvent(s.id(), LeadStore.SIGNAL_ESP, EventType.UNKNOWN, null, at, at, s.recipient(),
                    null, null, null, null, null, null, null, null, null, null), out);
        }
    }

    private static void stand(CanonicalEvent e, Map<String, String> out) {
        try {
            out.put(e.id(), Json.MAPPER.writeValueAsString(e));
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    /**
     * Records outcomes of items this owner holds, in one transaction.
     *
     * @return how many rows were still held by the owner (a lost lease makes the update a no-op)
     */
    public int apply(String destination, String owner, long now, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        List<Outcome> delivered = new ArrayList<>();
        List<Outcome> others = new ArrayList<>();
        for (Outcome o : outcomes) {
            (o.status().equals(DELIVERED) && o.error() == null ? delivered : others).add(o);
        }
        try {
            return Transactions.inTransaction(dataSource, c -> {
                int held = dialect == Database.Dialect.H2 ? applyDeliveredByKey(c, destination, owner, now, delivered)
                        : applyDelivered(c, destination, owner, now, delivered);
                if (!others.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(APPLY)) {
                        for (Outcome o : others) {
                            ps.setString(1, o.status());
                            ps.setInt(2, o.attempts());
                            ps.setLong(3, o.nextAttemptAt());
                            ps.setString(4, truncate(o.error()));
                            ps.setLong(5, now);
                            ps.setString(6, destination);
                            ps.setString(7, o.eventId());
                            ps.setString(8, owner);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        List<Outcome> recorded = new ArrayList<>(others.size());
                        for (int k = 0; k < counts.length; k++) {
                            int n = counts[k] == PreparedStatement.SUCCESS_NO_INFO ? 1 : counts[k];
                            held += n;
                            if (n > 0) {
                                recorded.add(others.get(k));
                            }
                        }
                        recordAttempts(c, destination, now, recorded);
                    }
                }
                return held;
            });
        } catch (SQLException e) {
            throw new StorageUnavailableException("recording delivery outcome failed: " + e.getMessage(), e);
        }
    }

    /** One row per outcome that was not a plain success (see db/migration/V4__delivery_attempt.sql). */
    private void recordAttempts(Connection c, String destination, long now, List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(dialect == Database.Dialect.POSTGRESQL ? PG_ATTEMPT : H2_ATTEMPT)) {
            for (Outcome o : outcomes) {
                ps.setString(1, destination);
                ps.setString(2, o.eventId());
                ps.setInt(3, o.attempts());
                ps.setLong(4, now);
                ps.setString(5, o.status());
                ps.setString(6, o.error() == null || o.error().length() <= MAX_ATTEMPT_ERROR ? o.error()
                        : o.error().substring(0, MAX_ATTEMPT_ERROR - 1) + "…");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The recorded attempts of the given items of a destination, oldest first, at most {@code last} per
     * item (the latest ones); items without any are absent.
     */
    public Map<String, List<Attempt>> attempts(String destination, Collection<String> eventIds, int last) {
        Map<String, List<Attempt>> out = new HashMap<>();
        if (eventIds.isEmpty()) {
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT event_id, attempt, at, status, error FROM hub_delivery_attempt "
                + "WHERE destination = ? AND event_id IN (");
        for (int i = 0; i < eventIds.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(") ORDER BY event_id, at, attempt");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, destination);
            for (String id : eventIds) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Attempt(rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("attempt history query failed: " + e.getMessage(), e);
        }
        out.replaceAll((id, list) -> list.size() <= last ? list : List.copyOf(list.subList(list.size() - last, list.size())));
        return out;
    }

    /** The common case, a batch delivered, as one statement per 500 ids rather than one per item. */
    private static int applyDelivered(Connection c, String destination, String owner, long now, List<Outcome> delivered)
            throws SQLException {
        int held = 0;
        for (int from = 0; from < delivered.size(); from += 500) {
            List<Outcome> chunk = delivered.subList(from, Math.min(delivered.size(), from + 500));
            StringBuilder sql = new StringBuilder("UPDATE hub_delivery SET status = 'delivered', attempts = attempts + 1, "
                    + "next_attempt_at = ?, last_error = NULL, updated_at = ?, lease_owner = NULL, lease_until = NULL "
                    + "WHERE destination = ? AND lease_owner = ? AND event_id IN (");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setLong(i++, now);
                ps.setLong(i++, now);
                ps.setString(i++, destination);
                ps.setString(i++, owner);
                for (Outcome o : chunk) {
                    ps.setString(i++, o.eventId());
                }
                held += ps.executeUpdate();
            }
        }
        return held;
    }

    /**
     * H2 does not use the primary key for {@code event_id IN (500 ids)} and scans the destination's rows
     * (measured: most of the archive drain time); a batch of primary-key updates is what it does fast.
     */
    private static int applyDeliveredByKey(Connection c, String destination, String owner, long now,
                                           List<Outcome> delivered) throws SQLException {
        if (delivered.isEmpty()) {
            return 0;
        }
        int held = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE hub_delivery SET status = 'delivered', "
                + "attempts = attempts + 1, next_attempt_at = ?, last_error = NULL, updated_at = ?, lease_owner = NULL, "
                + "lease_until = NULL WHERE destination = ? AND event_id = ? AND lease_owner = ?")) {
            for (Outcome o : delivered) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, destination);
                ps.setString(4, o.eventId());
                ps.setString(5, owner);
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                held += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : n;
            }
        }
        return held;
    }

    public Backlog backlog(String destination) {
        String sql = "SELECT COUNT(*), MIN(created_at) FROM hub_delivery WHERE destination = ? AND status = 'pending'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long pending = rs.getLong(1);
                long oldest = rs.getLong(2);
                // wasNull speaks of the column read last: MIN is NULL when nothing is pending
                return new Backlog(pending, rs.wasNull() ? null : oldest);
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("backlog query failed: " + e.getMessage(), e);
        }
    }

    /** Items of a destination in one status, oldest queued first, keyset-paged. */
    public Page list(String destination, String status, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT d.event_id, d.status, d.attempts, d.last_error, d.created_at, "
                + "d.updated_at, e.body FROM hub_delivery d LEFT JOIN hub_event e ON e.id = d.event_id "
                + "WHERE d.destination = ? AND d.status = ?");
        Object[] after = cursor == null ? null : EventQuery.decodeCursor(cursor);
        if (after != null) {
            sql.append(" AND (d.created_at > ? OR (d.created_at = ? AND d.event_id > ?))");
        }
        sql.append(" ORDER BY d.created_at, d.event_id LIMIT ?");
        List<Item> items = new ArrayList<>();
        String next = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, destination);
            ps.setString(i++, status);
            if (after != null) {
                ps.setLong(i++, (Long) after[0]);
                ps.setLong(i++, (Long) after[0]);
                ps.setString(i++, (String) after[1]);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        Item last = items.get(items.size() - 1);
                        next = EventQuery.encodeCursor(last.createdAt(), last.eventId());
                        break;
                    }
                    items.add(new Item(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("delivery listing failed: " + e.getMessage(), e);
        }
        return new Page(items, next);
    }

    /**
     * Which items a replay takes: queued in [since, until), of an event that occurred in
     * [occurredSince, occurredUntil) (null: any), and one event id (null: any).
     */
    public record ReplayFilter(long since, long until, Long occurredSince, Long occurredUntil, String eventId) {
    }

    /**
     * Puts items of a destination in the given statuses matching the filter back to pending with fresh
     * attempts. Destinations are idempotent on event id, so replaying delivered items is harmless.
     */
    public int replay(String destination, Collection<String> statuses, ReplayFilter f, long now) {
        StringBuilder sql = new StringBuilder("UPDATE hub_delivery SET status = 'pending', attempts = 0, "
                + "next_attempt_at = ?, updated_at = ?, last_error = NULL, lease_owner = NULL, lease_until = NULL "
                + "WHERE destination = ? AND created_at >= ? AND created_at < ?");
        if (f.eventId() != null) {
            sql.append(" AND event_id = ?");
        }
        if (f.occurredSince() != null || f.occurredUntil() != null) {
            sql.append(" AND event_id IN (SELECT id FROM hub_event WHERE occurred_at >= ? AND occurred_at < ?)");
        }
        sql.append(" AND status IN (");
        for (int i = 0; i < statuses.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            ps.setString(i++, destination);
            ps.setLong(i++, f.since());
            ps.setLong(i++, f.until());
            if (f.eventId() != null) {
                ps.setString(i++, f.eventId());
            }
            if (f.occurredSince() != null || f.occurredUntil() != null) {
                ps.setLong(i++, f.occurredSince() == null ? Long.MIN_VALUE : f.occurredSince());
                ps.setLong(i++, f.occurredUntil() == null ? Long.MAX_VALUE : f.occurredUntil());
            }
            for (String s : statuses) {
                ps.setString(i++, s);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailableException("replay failed: " + e.getMessage(), e);
        }
    }

    /**
     * A replay of what a journal cursor delivered (it keeps no outbox item for it): queues, pending, the journal events
     * the routed destination's cursor has passed that match the filter (received in [since, until), the event id, the
     * occurred range), whose routes column names it, and that have no item of the destination yet (those the outbox
     * replay takes). For destinations idempotent on the event id only (the leads, the suppression
     * list): the outbox path must not count again what the cursor applied.
     *
     * @return how many items were queued
     */
    public int replayPassed(String destination, ReplayFilter f, long now) {
        StringBuilder sql = new StringBuilder("SELECT e.id FROM hub_event e JOIN hub_cursor k ON k.name = ? "
                + "WHERE e.received_at >= ? AND e.received_at < ? AND (e.tx < k.tx OR (e.tx = k.tx AND e.seq <= k.seq)) "
                + "AND NOT EXISTS (SELECT 1 FROM hub_delivery d WHERE d.destination = ? AND d.event_id = e.id) "
                + "AND e.routes LIKE ? ESCAPE '!'");
        List<Object> args = new ArrayList<>(List.of(destination, f.since(), f.until(), destination,
                JournalCursor.routePattern(destination)));
        if (f.eventId() != null) {
            sql.append(" AND e.id = ?");
            args.add(f.eventId());
        }
        if (f.occurredSince() != null || f.occurredUntil() != null) {
            sql.append(" AND e.occurred_at >= ? AND e.occurred_at < ?");
            args.add(f.occurredSince() == null ? Long.MIN_VALUE : f.occurredSince());
            args.add(f.occurredUntil() == null ? Long.MAX_VALUE : f.occurredUntil());
        }
        return queueSelected("replay", destination, sql.append(" ORDER BY e.tx, e.seq").toString(), args, now);
    }

    /**
     * Queues for a destination every journal event received in [since, until) that has no item of that
     * destination yet (a destination added after the events arrived), nor were routed to it on the journal row (a
     * routed destination's cursor takes those). Running it again queues nothing new.
     *
     * @return how many items were queued
     */
    public int backfill(String destination, long since, long until, long now) {
        String sql = "SELECT e.id FROM hub_event e WHERE e.received_at >= ? AND e.received_at < ? AND NOT EXISTS "
                + "(SELECT 1 FROM hub_delivery d WHERE d.destination = ? AND d.event_id = e.id) "
                + "AND (e.routes IS NULL OR e.routes NOT LIKE ? ESCAPE '!') ORDER BY e.received_at, e.id";
        return queueSelected("backfill", destination, sql,
                List.of(since, until, destination, JournalCursor.routePattern(destination)), now);
    }

    /** Queues for the destination, in one transaction, the event ids a query selects (their first column). */
    private int queueSelected(String what, String destination, String sql, List<Object> args, long now) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.size(); i++) {
                        ps.setObject(i + 1, args.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                int queued = 0;
                for (int from = 0; from < ids.size(); from += 1000) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
                    queued += enqueue(c, dialect, Collections.nCopies(chunk.size(), destination), chunk, now);
                }
                return queued;
            });
        } catch (SQLException e) {
            throw new StorageUnavailableException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The outbox insert, the one place it is written: queues event {@code eventIds[i]} for destination
     * {@code destinations[i]}, pending and due at {@code now}, in the caller's transaction (intake's journal
     * write, a suppression, a backfill). An item that exists already is left as it is. PostgreSQL: one
     * statement for all; H2: one insert-when-absent per item in a JDBC batch.
     *
     * @return how many items were queued
     */
    static int enqueue(Connection c, Database.Dialect dialect, List<String> destinations, List<String> eventIds, long now)
            throws SQLException {
        if (destinations.isEmpty()) {
            return 0;
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement(PG_ENQUEUE)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setArray(4, c.createArrayOf("varchar", destinations.toArray(String[]::new)));
                ps.setArray(5, c.createArrayOf("varchar", eventIds.toArray(String[]::new)));
                return ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(H2_ENQUEUE)) {
            for (int i = 0; i < destinations.size(); i++) {
                ps.setString(1, destinations.get(i));
                ps.setString(2, eventIds.get(i));
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.addBatch();
            }
            int queued = 0;
            for (int n : ps.executeBatch()) {
                queued += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : n;
            }
            return queued;
        }
    }

    /**
     * A dead item for an event that a journal-fed destination ({@link JournalCursor}) could not apply, in the caller's
     * transaction: listed, and put back by a replay, as any dead item.
     */
    static void bury(Connection c, Database.Dialect dialect, String destination, String eventId, String error, long now)
            throws SQLException {
        enqueue(c, dialect, List.of(destination), List.of(eventId), now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE hub_delivery SET status = 'dead', attempts = 1, "
                + "last_error = ?, updated_at = ? WHERE destination = ? AND event_id = ?")) {
            ps.setString(1, truncate(error));
            ps.setLong(2, now);
            ps.setString(3, destination);
            ps.setString(4, eventId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(dialect == Database.Dialect.POSTGRESQL ? PG_ATTEMPT : H2_ATTEMPT)) {
            ps.setString(1, destination);
            ps.setString(2, eventId);
            ps.setInt(3, 1);
            ps.setLong(4, now);
            ps.setString(5, DEAD);
            ps.setString(6, error == null || error.length() <= MAX_ATTEMPT_ERROR ? error : error.substring(0, MAX_ATTEMPT_ERROR));
            ps.executeUpdate();
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }
}
