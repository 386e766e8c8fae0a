package com.emaileventhub.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/**
 * Tables of the suppression list: hub_suppression (who is suppressed), hub_suppression_state (what
 * occurred_at ordering needs: latest unsubscribe, latest resubscribe, last lift) and
 * hub_suppression_audit. The rules live in destination.suppression.SuppressionRules; this class only
 * reads and writes rows, inside one transaction per batch ({@link Tx}).
 */
public final class SuppressionStore {
    public record Suppression(String email, String reason, String esp, long firstAt, long lastAt, String eventId) {
    }

    public record State(String email, Long unsubscribedAt, String unsubscribeEvent, String unsubscribeEsp,
                        Long subscribedAt, Long liftedAt) {
    }

    /** A soft bounce of the journal: when it occurred, its id and vendor. */
    public record Bounce(long occurredAt, String eventId, String esp) {
    }

    public record Page(List<Suppression> items, String nextCursor) {
    }

    public record AuditEntry(String email, String action, String reason, long at, String actor, String note,
                             String eventId) {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** The esp of a suppression an operator added by hand (POST /api/suppressions): no journal event caused it. */
    public static final String MANUAL_ESP = "manual";

    private static final String COLUMNS = "email, reason, esp, first_at, last_at, event_id";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String PG_CREATE_STATE =
            "INSERT INTO hub_suppression_state (email) VALUES (?) ON CONFLICT (email) DO NOTHING";
    /*
     * Insert-when-absent on H2 is a MERGE on the key. With INSERT ... WHERE NOT EXISTS (SELECT ...), H2's query
     * cache re-used the subquery's answer of the statement's previous run in the same transaction, so the second
     * event of one address in a batch inserted the row again and failed on the key.
     */
    private static final String H2_CREATE_STATE = "MERGE INTO hub_suppression_state s "
            + "USING (VALUES (CAST(? AS VARCHAR(512)))) AS v(email) ON s.email = v.email "
            + "WHEN NOT MATCHED THEN INSERT (email) VALUES (v.email)";

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public SuppressionStore(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    public <T> T inTransaction(Work<T> work) {
        try {
            return Transactions.inTransaction(dataSource, c -> work.run(new Tx(c)));
        } catch (SQLException e) {
            throw new StorageUnavailableException("suppression write failed: " + e.getMessage(), e);
        }
    }

    public Suppression get(String email) {
        return inTransaction(tx -> tx.current(email));
    }

    /** Suppressed addresses in email order, keyset-paged. */
    public Page list(int limit, String cursor) {
        String after = cursor == null ? null : decodeCursor(cursor);
        String sql = "SELECT " + COLUMNS + " FROM hub_suppression" + (after == null ? "" : " WHERE email > ?")
                + " ORDER BY email LIMIT ?";
        List<Suppression> items = new ArrayList<>();
        String next = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                ps.setString(i++, after);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        next = encodeCursor(items.get(items.size() - 1).email());
                        break;
                    }
                    items.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("suppression listing failed: " + e.getMessage(), e);
        }
        return new Page(items, next);
    }

    public List<AuditEntry> audit(String email) {
        String sql = "SELECT email, action, reason, at, actor, note, event_id FROM hub_suppression_audit "
                + "WHERE email = ? ORDER BY at, id";
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("audit query failed: " + e.getMessage(), e);
        }
        return out;
    }

    static String encodeCursor(String email) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(email.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by this class */
    static String decodeCursor(String cursor) {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("not a cursor");
        }
        return s;
    }

    private static Suppression row(ResultSet rs) throws SQLException {
        return new Suppression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6));
    }

    /** The statements of one suppression transaction. */
    public final class Tx {
        private final Connection c;

        private Tx(Connection c) {
            this.c = c;
        }

        /** Moves a journal cursor over a batch in this transaction (false: it no longer stood at the batch's start). */
        public boolean advance(JournalCursor.Advance advance, long now) throws SQLException {
            return JournalCursor.advance(c, advance, now);
        }

        /** The address's state row, created when absent and locked until the transaction ends. */
        public State lockState(String email) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(dialect == Database.Dialect.POSTGRESQL
                    ? PG_CREATE_STATE : H2_CREATE_STATE)) {
                ps.setString(1, email);
                ps.executeUpdate();
            } catch (SQLException e) {
                // H2 lets a concurrent transaction that created the same row commit first, then fails this
                // statement alone (the transaction goes on): the row now exists, and the SELECT below locks it
                if (dialect != Database.Dialect.H2 || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT unsubscribed_at, unsubscribe_event, unsubscribe_esp, "
                    + "subscribed_at, lifted_at FROM hub_suppression_state WHERE email = ? FOR UPDATE")) {
                ps.setString(1, email);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("suppression state of an address vanished while it was being locked");
                    }
                    return new State(email, longOrNull(rs, 1), rs.getString(2), rs.getString(3), longOrNull(rs, 4),
                            longOrNull(rs, 5));
                }
            }
        }

        public void saveState(State s) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_suppression_state SET unsubscribed_at = ?, "
                    + "unsubscribe_event = ?, unsubscribe_esp = ?, subscribed_at = ?, lifted_at = ? WHERE email = ?")) {
                setLong(ps, 1, s.unsubscribedAt());
                ps.setString(2, s.unsubscribeEvent());
                ps.setString(3, s.unsubscribeEsp());
                setLong(ps, 4, s.subscribedAt());
                setLong(ps, 5, s.liftedAt());
                ps.setString(6, s.email());
                ps.executeUpdate();
            }
        }

        public Suppression current(String email) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hub_suppression WHERE email = ?")) {
                ps.setString(1, email);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        }

        public void insert(Suppression s, long now) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_suppression (" + COLUMNS
                    + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.email());
                ps.setString(2, s.reason());
                ps.setString(3, s.esp());
                ps.setLong(4, s.firstAt());
                ps.setLong(5, s.lastAt());
                ps.setString(6, s.eventId());
                ps.setLong(7, now);
                ps.executeUpdate();
            }
        }

        public void update(Suppression s) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_suppression SET reason = ?, esp = ?, first_at = ?, "
                    + "last_at = ?, event_id = ? WHERE email = ?")) {
                ps.setString(1, s.reason());
                ps.setString(2, s.esp());
                ps.setLong(3, s.firstAt());
                ps.setLong(4, s.lastAt());
                ps.setString(5, s.eventId());
                ps.setString(6, s.email());
                ps.executeUpdate();
            }
        }

        public boolean delete(String email) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM hub_suppression WHERE email = ?")) {
                ps.setString(1, email);
                return ps.executeUpdate() > 0;
            }
        }

        public void audit(AuditEntry a) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_suppression_audit "
                    + "(email, action, reason, at, actor, note, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.email());
                ps.setString(2, a.action());
                ps.setString(3, a.reason());
                ps.setLong(4, a.at());
                ps.setString(5, a.actor());
                ps.setString(6, a.note());
                ps.setString(7, a.eventId());
                ps.executeUpdate();
            }
        }

        /** The journal's soft bounces of an address that occurred in [from, to] and after {@code after}. */
        public List<Bounce> softBounces(String email, long from, long to, Long after) throws SQLException {
            String sql = "SELECT occurred_at, id, esp FROM hub_event WHERE recipient = ? AND occurred_at >= ? "
                    + "AND occurred_at <= ? AND type = 'bounced' AND bounce_type = 'soft'"
                    + (after == null ? "" : " AND occurred_at > ?") + " ORDER BY occurred_at, id";
            List<Bounce> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, email);
                ps.setLong(2, from);
                ps.setLong(3, to);
                if (after != null) {
                    ps.setLong(4, after);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Bounce(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        }

        /** Queues an event for another destination in this transaction (the outbox, as intake does). */
        public void enqueue(String destination, String eventId, long now) throws SQLException {
            DeliveryQueue.enqueue(c, dialect, List.of(destination), List.of(eventId), now);
        }
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
