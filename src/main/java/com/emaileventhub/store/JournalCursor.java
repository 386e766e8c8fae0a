package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A consumer that follows the journal with a cursor instead of one outbox row per event: it reads the rows after its
 * position, applies them, and moves its position in the same transaction as what it applied, so each event counts
 * once (whichever instance applies it, however often a batch is attempted). The position of a row is (tx, seq):
 * <ul>
 *   <li>PostgreSQL: tx is the writing transaction's id and seq a sequence number, both column defaults. A reader
 *   takes only rows whose transaction is older than every transaction still running (the snapshot's xmin), so a
 *   row that commits late, on this instance or another, can never land behind the cursor.</li>
 *   <li>H2: tx is 0 and seq is handed out by the one process that owns the file ({@link JournalPositions}), which
 *   knows the numbers of the transactions still open; a reader stops below them.</li>
 * </ul>
 * An event that cannot be applied for good (its data, not an outage) is passed with a dead outbox row, which
 * {@code /api/deliveries/replay} puts back through the destination's outbox path.
 *
 * <p>A routed cursor (the engaged-lead scores, the suppression list) takes only the rows whose routes column names it
 * (the fan-out's choice, stored with the event): it reads every row after its position and gets the body of those
 * chosen for it only ({@link Entry#chosen()}); the others it passes with the batch.
 */
public final class JournalCursor {
    /** A row's place in the journal; positions order rows in the order a cursor takes them. */
    public record Position(long tx, long seq) {
        public static final Position START = new Position(0, 0);
    }

    /**
     * A journal row after the cursor; a routed cursor gets no body (null) for a row not chosen for it. {@code known}
     * is the event itself when this instance stored the row lately ({@link RecentEvents}), else null (parse the body).
     */
    public record Entry(Position position, String eventId, String body, long receivedAt, CanonicalEvent known) {
        /** Whether the row is for this cursor's destination (always, unless the cursor is routed). */
        public boolean chosen() {
            return body != null;   // body is NOT NULL in the journal
        }
    }

    /**
     * What a batch read from the journal moves: the named cursor, from the position it was read after to its last
     * row. Applied with the batch, in its transaction ({@link #advance}).
     */
    public record Advance(String cursor, Position from, Position to) {
    }

    /** Rows after the cursor (taken or not yet safe to take) and the arrival of the next one (null when none). */
    public record Backlog(long pending, Long nextReceivedAt) {
    }

    private static final String PG_AFTER = "SELECT tx, seq, id, %s, received_at FROM hub_event "
            + "WHERE (tx, seq) > (?, ?) AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint "
            + "ORDER BY tx, seq LIMIT ?";
    private static final String H2_AFTER = "SELECT tx, seq, id, %s, received_at FROM hub_event "
            + "WHERE tx = 0 AND seq > ? AND seq <= ? ORDER BY tx, seq LIMIT ?";

    /**
     * Up to this many rows after the cursor, the backlog is counted; above it, it is estimated from the journal's
     * numbering ({@link #backlog()}). A count reads every row of its range: under a sustained peak the archive's backlog
     * grew to millions of rows, and PostgreSQL took 1.9 s to count it, every gauge interval, for each journal-fed
     * destination: its costliest statement but one (19 s of statement time in a 24 s run), taken from the very
     * destinations falling behind (docs/benchmarks.md).
     */
    static final int COUNTED_UP_TO = 10_000;

    private final DataSource dataSource;
    private final Database.Dialect dialect;
    private final JournalPositions positions;
    private final String name;
    private final RecentEvents recent;
    private final int countedUpTo;
    private final String afterSql;
    /** A routed cursor's LIKE pattern for its name in the routes column; null for a cursor that takes every row. */
    private final String pattern;

    /** A cursor that takes every row. */
    public JournalCursor(Database database, String name) {
        this(database, name, false, RecentEvents.NONE, COUNTED_UP_TO);
    }

    /** @param routed whether it takes only the rows whose routes column names it */
    public JournalCursor(Database database, String name, boolean routed) {
        this(database, name, routed, RecentEvents.NONE, COUNTED_UP_TO);
    }

    /** @param recent the events this instance's journal stored lately: its rows are handed on without a parse */
    public JournalCursor(Database database, String name, boolean routed, RecentEvents recent) {
        this(database, name, routed, recent, COUNTED_UP_TO);
    }

    JournalCursor(Database database, String name, boolean routed, RecentEvents recent, int countedUpTo) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.positions = database.positions();
        this.name = name;
        this.recent = recent;
        this.countedUpTo = countedUpTo;
        String body = routed ? "CASE WHEN routes LIKE ? ESCAPE '!' THEN body END" : "body";
        this.afterSql = String.format(dialect == Database.Dialect.POSTGRESQL ? PG_AFTER : H2_AFTER, body);
        this.pattern = routed ? routePattern(name) : null;
    }

    /** The LIKE pattern (ESCAPE '!') of a routes column naming the destination; its own % and _ are escaped. */
    static String routePattern(String destination) {
        return "%," + destination.replace("!", "!!").replace("%", "!%").replace("_", "!_") + ",%";
    }

    public String name() {
        return name;
    }

    /** Where the cursor stands. */
    public Position position() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT tx, seq FROM hub_cursor WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no journal cursor named " + name + " (table hub_cursor)");
                }
                return new Position(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal cursor " + name, e);
        }
    }

    /** Up to {@code limit} rows after {@code after}, in journal order, none of which a late commit can precede. */
    public List<Entry> after(Position after, int limit) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(afterSql)) {
            int i = 1;
            if (pattern != null) {
                ps.setString(i++, pattern);
            }
            if (dialect == Database.Dialect.POSTGRESQL) {
                ps.setLong(i++, after.tx());
                ps.setLong(i++, after.seq());
            } else {
                long safe = positions.safe();   // before the query: whatever commits meanwhile is above it
                ps.setLong(i++, after.seq());
                ps.setLong(i++, safe);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(3);
                    String body = rs.getString(4);
                    out.add(new Entry(new Position(rs.getLong(1), rs.getLong(2)), id, body, rs.getLong(5),
                            body == null ? null : recent.event(id, body)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal cursor " + name, e);
        }
    }

    /**
     * In the caller's transaction: moves the cursor from {@code advance.from()} to {@code advance.to()}. False when
     * it no longer stands at {@code from} (another instance took the batch): the caller then rolls back. Called
     * first in the transaction, so a second instance waits on the row instead of repeating the work.
     */
    public static boolean advance(Connection c, Advance advance, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hub_cursor SET tx = ?, seq = ?, updated_at = ? "
                + "WHERE name = ? AND tx = ? AND seq = ?")) {
            ps.setLong(1, advance.to().tx());
            ps.setLong(2, advance.to().seq());
            ps.setLong(3, now);
            ps.setString(4, advance.cursor());
            ps.setLong(5, advance.from().tx());
            ps.setLong(6, advance.from().seq());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Moves the cursor in a transaction of its own, after what the batch was handed to (an idempotent destination,
     * such as the archive, whose writes are not in this database's transaction). False when another instance moved it.
     */
    public boolean advance(Advance advance, long now) {
        try {
            return Transactions.inTransaction(dataSource, c -> advance(c, advance, now));
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal cursor " + name, e);
        }
    }

    /**
     * Passes an event that cannot be applied: the cursor moves over it and the destination's outbox gets a dead item
     * (listed by /api/deliveries, put back by a replay). False when another instance moved the cursor first.
     */
    public boolean deadLetter(Entry entry, Position from, String error, long now) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                if (!advance(c, new Advance(name, from, entry.position()), now)) {
                    return false;
                }
                DeliveryQueue.bury(c, dialect, name, entry.eventId(), error, now);
                return true;
            });
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal cursor " + name, e);
        }
    }

    /**
     * The rows after the cursor: the destination's backlog, and the arrival of the next row it takes (for a routed
     * cursor the rows it still has to look at, chosen for it or not: counting only the chosen ones would read rows
     * far past the cursor for a destination that takes few). Statements that read only the position index, not the
     * rows: a MIN over the rows' arrival read every row of the backlog, its body included, and H2 took 5 s over a
     * backlog of 276,000 rows, every gauge interval, on the destination's thread. Exact up to {@link #COUNTED_UP_TO}
     * rows; above, the numbers handed out after the cursor's (the journal's last number less the cursor's:
     * {@link JournalPositions} on H2, the sequence on PostgreSQL): an estimate that also counts the numbers of rows not
     * stored (on PostgreSQL a duplicate's insert takes one) or already purged, and never less than the rows counted.
     */
    public Backlog backlog() {
        Position at = position();
        // H2 walks the whole index for the OR of a row comparison; with tx = 0 it reads the rows after the cursor only
        String after = dialect == Database.Dialect.POSTGRESQL ? "(tx, seq) > (?, ?)" : "tx = ? AND seq > ?";
        try (Connection c = dataSource.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM (SELECT seq FROM hub_event WHERE "
                     + after + " ORDER BY tx, seq FETCH FIRST " + (countedUpTo + 1) + " ROWS ONLY) r");
             PreparedStatement next = c.prepareStatement("SELECT received_at FROM hub_event WHERE " + after
                     + " ORDER BY tx, seq FETCH FIRST ROW ONLY")) {
            long pending = first(count, at);
            if (pending > countedUpTo) {
                pending = Math.max(pending, lastNumber(c) - at.seq());
            }
            Long nextReceivedAt = pending == 0 ? null : first(next, at);
            return new Backlog(pending, nextReceivedAt);
        } catch (SQLException e) {
            throw StorageUnavailableException.of("journal cursor " + name, e);
        }
    }

    /** The journal's last number: on H2 the process hands them out itself, on PostgreSQL its sequence does. */
    private long lastNumber(Connection c) throws SQLException {
        if (positions != null) {
            return positions.last();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT last_value FROM hub_event_seq");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Long first(PreparedStatement ps, Position at) throws SQLException {
        ps.setLong(1, at.tx());
        ps.setLong(2, at.seq());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
