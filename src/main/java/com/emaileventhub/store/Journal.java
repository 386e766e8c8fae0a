package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The durable journal. All events of one request, their outbox rows and the request's replay
 * token are written in one transaction; duplicates (same id) are skipped, not failed.
 */
public final class Journal {
    private static final String H2_INSERT_EVENT =
            "INSERT INTO hub_event (id, esp, type, bounce_type, recipient, message_id, occurred_at, received_at, body) "
                    + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM (VALUES (0)) AS one(x) "
                    + "WHERE NOT EXISTS (SELECT 1 FROM hub_event WHERE id = ?)";
    /** One statement for the whole batch (arrays), returning the ids it inserted: duplicates are skipped. */
    private static final String PG_INSERT_EVENTS =
            "INSERT INTO hub_event (id, esp, type, bounce_type, recipient, message_id, occurred_at, received_at, body) "
                    + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
                    + "?::varchar[], ?::bigint[], ?::bigint[], ?::text[]) ON CONFLICT (id) DO NOTHING RETURNING id";
    private static final String INSERT_TOKEN = "INSERT INTO hub_replay_token (vendor, token, seen_at) VALUES (?, ?, ?)";
    private static final String UNIQUE_VIOLATION = "23505";
    /** Column sizes of db/migration/V1__journal.sql. */
    static final int RECIPIENT_COLUMN = 512;
    static final int MESSAGE_ID_COLUMN = 1024;
    static final int TOKEN_COLUMN = 256;
    static final int ESP_EVENT_ID_LIMIT = 1024;

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public Journal(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    /**
     * @param destinations per event id, the destinations the fan-out rules chose (may be missing: none)
     */
    public StoreResult store(String vendor, String replayToken, List<CanonicalEvent> events,
                             Map<String, List<String>> destinations, Instant now) {
        checkColumnSizes(replayToken, events);
        Map<String, CanonicalEvent> unique = new LinkedHashMap<>();
        for (CanonicalEvent e : events) {
            unique.putIfAbsent(e.id(), e);
        }
        List<CanonicalEvent> batch = new ArrayList<>(unique.values());
        List<String> bodies = new ArrayList<>(batch.size());
        for (CanonicalEvent e : batch) {
            bodies.add(toJson(e));
        }
        // On H2 two transactions inserting the same new id race to a unique violation; one retry resolves it
        for (int attempt = 1; ; attempt++) {
            try {
                List<String> accepted = write(vendor, replayToken, batch, bodies, destinations, now);
                return new StoreResult(accepted, events.size() - accepted.size());
            } catch (SQLException e) {
                if (isUniqueViolation(e) && attempt < 3) {
                    continue;
                }
                if (isDataError(e)) {
                    // the same request would fail the same way forever: a 503 would have the ESP retry it for days
                    throw WebhookRejection.badRequest("the database refused a value of this request (SQLState "
                            + sqlState(e) + "); nothing was stored");
                }
                throw StorageUnavailableException.of("journal write", e);
            }
        }
    }

    /** Returns the ids of the events that were new, in request order. */
    private List<String> write(String vendor, String replayToken, List<CanonicalEvent> batch, List<String> bodies,
                      Map<String, List<String>> destinations, Instant now) throws SQLException {
        long nowMs = now.toEpochMilli();
        return Transactions.inTransaction(dataSource, c -> {
            if (replayToken != null) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_TOKEN)) {
                    ps.setString(1, vendor);
                    ps.setString(2, replayToken);
                    ps.setLong(3, nowMs);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (isUniqueViolation(e)) {
                        throw WebhookRejection.unauthorized(RejectionReason.REPLAY, "token was already used (replayed request)");
                    }
                    throw e;
                }
            }
            int[] counts = dialect == Database.Dialect.POSTGRESQL ? insertEventsPostgres(c, batch, bodies)
                    : insertEvents(c, batch, bodies);
            List<String> accepted = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> eventIds = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (counts[i] == 0) {
                    continue;   // already known: its deliveries were queued when it was first stored
                }
                accepted.add(batch.get(i).id());
                for (String destination : destinations.getOrDefault(batch.get(i).id(), List.of())) {
                    names.add(destination);
                    eventIds.add(batch.get(i).id());
                }
            }
            DeliveryQueue.enqueue(c, dialect, names, eventIds, nowMs);
            return accepted;
        });
    }

    /** PostgreSQL: the whole batch as one statement; counts[i] is 1 when batch[i] was new. */
    private static int[] insertEventsPostgres(Connection c, List<CanonicalEvent> batch, List<String> bodies)
            throws SQLException {
        int n = batch.size();
        int[] counts = new int[n];
        if (n == 0) {
            return counts;
        }
        String[] ids = new String[n];
        String[] esps = new String[n];
        String[] types = new String[n];
        String[] bounceTypes = new String[n];
        String[] recipients = new String[n];
        String[] messageIds = new String[n];
        Long[] occurred = new Long[n];
        Long[] received = new Long[n];
        for (int i = 0; i < n; i++) {
            CanonicalEvent e = batch.get(i);
            ids[i] = e.id();
            esps[i] = e.esp();
            types[i] = e.type().wireName();
            bounceTypes[i] = e.bounceTypeName();
            recipients[i] = e.recipient();
            messageIds[i] = e.messageId();
            occurred[i] = e.occurredAt().toEpochMilli();
            received[i] = e.receivedAt().toEpochMilli();
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(PG_INSERT_EVENTS)) {
            ps.setArray(1, c.createArrayOf("varchar", ids));
            ps.setArray(2, c.createArrayOf("varchar", esps));
            ps.setArray(3, c.createArrayOf("varchar", types));
            ps.setArray(4, c.createArrayOf("varchar", bounceTypes));
            ps.setArray(5, c.createArrayOf("varchar", recipients));
            ps.setArray(6, c.createArrayOf("varchar", messageIds));
            ps.setArray(7, c.createArrayOf("bigint", occurred));
            ps.setArray(8, c.createArrayOf("bigint", received));
            ps.setArray(9, c.createArrayOf("text", bodies.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            counts[i] = inserted.contains(ids[i]) ? 1 : 0;
        }
        return counts;
    }
    /** H2: one guarded INSERT per event in a JDBC batch; its update counts tell new from known. */
    private static int[] insertEvents(Connection c, List<CanonicalEvent> batch, List<String> bodies) throws SQLException {
        int[] counts = new int[batch.size()];
        if (batch.isEmpty()) {
            return counts;
        }
        try (PreparedStatement ps = c.prepareStatement(H2_INSERT_EVENT)) {
            for (int i = 0; i < batch.size(); i++) {
                CanonicalEvent e = batch.get(i);
                ps.setString(1, e.id());
                ps.setString(2, e.esp());
                ps.setString(3, e.type().wireName());
                ps.setString(4, e.bounceType() == null ? null : e.bounceType().wireName());
                ps.setString(5, e.recipient());
                ps.setString(6, e.messageId());
                ps.setLong(7, e.occurredAt().toEpochMilli());
                ps.setLong(8, e.receivedAt().toEpochMilli());
                ps.setString(9, bodies.get(i));
                ps.setString(10, e.id());
                ps.addBatch();
            }
            int[] result = ps.executeBatch();
            for (int i = 0; i < result.length; i++) {
                // SUCCESS_NO_INFO would hide duplicates; both H2 and pgjdbc report row counts for these statements
                counts[i] = result[i] == PreparedStatement.SUCCESS_NO_INFO ? 1 : result[i];
            }
        }
        return counts;
    }

    /** Drops tokens older than the window in which they could still be replayed. */
    public int purgeReplayTokens(Instant olderThan) {
        return update("DELETE FROM hub_replay_token WHERE seen_at < ?", olderThan.toEpochMilli());
    }

    /** Drops events past the retention period (which is also the de-duplication window) with no pending delivery. */
    public int purgeEvents(Instant olderThan) {
        return update("DELETE FROM hub_event WHERE received_at < ? AND NOT EXISTS "
                + "(SELECT 1 FROM hub_delivery d WHERE d.event_id = hub_event.id AND d.status = 'pending')",
                olderThan.toEpochMilli());
    }

    /** Drops delivered and dead outbox rows past the retention period (pending ones stay until settled). */
    public int purgeSettledDeliveries(Instant olderThan) {
        return update("DELETE FROM hub_delivery WHERE status <> 'pending' AND updated_at < ?", olderThan.toEpochMilli());
    }

    private int update(String sql, long arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, arg);
            return ps.executeUpdate();
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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
            if (t instanceof BatchUpdateException b && b.getNextException() != null
                    && UNIQUE_VIOLATION.equals(b.getNextException().getSQLState())) {
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
