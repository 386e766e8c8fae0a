package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventIds;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Sends;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Engaged-lead scores (docs/leads.md): the human clicks (one per distinct send and url) and opens (one per send)
 * of each recipient, the recipient's last reset (complaint or unsubscribe) and last signal. A batch is applied in
 * one transaction that locks each recipient's state row, so a redelivered batch or a second instance never
 * signals a recipient twice within the cooldown; a signal is queued for the lead channels in that transaction.
 */
public final class LeadStore {
    /** The esp of the stand-in event a lead channel's worker hands over for a signal. */
    public static final String SIGNAL_ESP = "hub-leads";

    /** How scores are counted (hub.leads.*), in milliseconds where a duration. */
    public record Scoring(int clickPoints, int openPoints, int threshold, long window, long cooldown) {
    }

    /** An engaged-lead signal: the recipient's score, distinct clicks and opens in the window, and the links. */
    public record Signal(String id, String recipient, int score, int clicks, int opens, List<String> links,
                         long createdAt) {
    }

    private static final String STATE = "SELECT reset_at, signaled_at FROM lead_state WHERE recipient = ? FOR UPDATE";
    private static final String RESET = "UPDATE lead_state SET reset_at = ? WHERE recipient = ? AND reset_at < ?";
    private static final String SIGNALED = "UPDATE lead_state SET signaled_at = ? WHERE recipient = ?";
    private static final String CLICKS = "SELECT DISTINCT url FROM lead_click WHERE recipient = ? AND clicked_at > ? "
            + "AND clicked_at >= ?";
    private static final String COUNT_CLICKS = "SELECT COUNT(*) FROM lead_click WHERE recipient = ? AND clicked_at > ? "
            + "AND clicked_at >= ?";
    private static final String COUNT_OPENS = "SELECT COUNT(*) FROM lead_open WHERE recipient = ? AND opened_at > ? "
            + "AND opened_at >= ?";
    private static final String INSERT_SIGNAL = "INSERT INTO lead_signal (id, recipient, score, clicks, opens, links, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String SIGNAL_COLUMNS = "id, recipient, score, clicks, opens, links, created_at";

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public LeadStore(Database database) {
        this(database.dataSource(), database.dialect());
    }

    LeadStore(DataSource dataSource, Database.Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Applies a batch of events as at {@code now}; returns the signals it created. */
    public List<Signal> apply(List<CanonicalEvent> batch, long now, Scoring scoring, List<String> channels) {
        return apply(batch, null, now, scoring, channels);
    }

    /**
     * As {@link #apply(List, long, Scoring, List)}, moving a journal cursor over the batch first in the same
     * transaction (null: none). Returns null, having written nothing, when the cursor no longer stood where the batch
     * was read (another instance applied it).
     */
    public List<Signal> apply(List<CanonicalEvent> batch, JournalCursor.Advance advance, long now, Scoring scoring,
                              List<String> channels) {
        try {
            return Transactions.inTransaction(dataSource, c -> advance != null && !JournalCursor.advance(c, advance, now)
                    ? null : applyIn(c, batch, now, scoring, channels));
        } catch (SQLException e) {
            throw StorageUnavailableException.of("lead scores", e);
        }
    }

    private List<Signal> applyIn(Connection c, List<CanonicalEvent> batch, long now, Scoring scoring,
                                 List<String> channels) throws SQLException {
        Map<String, Long> resets = new LinkedHashMap<>();
        TreeSet<String> recipients = new TreeSet<>();   // locked in one order: two batches never deadlock
        List<CanonicalEvent> events = new ArrayList<>(batch);
        events.sort(Comparator.comparing(CanonicalEvent::occurredAt));
        long windowStart = now - scoring.window();
        // each table's new rows, first of each key, sorted by key: one JDBC batch each, in one order for every writer
        Map<String, List<Object>> clicks = new TreeMap<>();
        Map<String, List<Object>> opens = new TreeMap<>();
        for (CanonicalEvent e : events) {
            if (!Sends.belongsToSend(e)) {
                continue;
            }
            String sendKey = Sends.sendKey(e.esp(), e.messageId());
            long at = e.occurredAt().toEpochMilli();
            boolean counts = at >= windowStart;   // a click or open older than the window never counts: no row for it
            if (e.type() == EventType.CLICKED && !e.machine() && e.url() != null && counts) {
                String url = InsightStore.linkUrl(e.url());
                String urlKey = EventIds.hash(url);
                clicks.putIfAbsent(String.join("\u0000", e.recipient(), e.esp(), sendKey, urlKey),
                        List.of(e.recipient(), e.esp(), sendKey, urlKey, url, at));
            } else if (e.type() == EventType.OPENED && !e.machine() && counts) {
                opens.putIfAbsent(String.join("\u0000", e.recipient(), e.esp(), sendKey),
                        List.of(e.recipient(), e.esp(), sendKey, at));
            } else if (e.type() == EventType.COMPLAINED || e.type() == EventType.UNSUBSCRIBED) {
                resets.merge(e.recipient(), at, Math::max);
            } else {
                continue;
            }
            recipients.add(e.recipient());
        }
        insertIfAbsent(c, "lead_click", List.of("recipient", "esp", "send_key", "url_key"), List.of("url", "clicked_at"),
                clicks.values());
        insertIfAbsent(c, "lead_open", List.of("recipient", "esp", "send_key"), List.of("opened_at"), opens.values());
        List<Signal> signals = new ArrayList<>();
        List<String> destinations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String r : recipients) {
            Signal s = score(c, r, resets.get(r), now, scoring);
            if (s != null) {
                signals.add(s);
                for (String channel : channels) {
                    destinations.add(channel);
                    ids.add(s.id());
                }
            }
        }
        DeliveryQueue.enqueue(c, dialect, destinations, ids, now);
        return signals;
    }

    /** Locks the recipient's state, applies a reset, and signals when the score reaches the threshold. */
    private Signal score(Connection c, String recipient, Long reset, long now, Scoring s) throws SQLException {
        insertIfAbsent(c, "lead_state", List.of("recipient"), List.of("reset_at", "signaled_at"),
                List.of(List.of(recipient, 0L, 0L)));
        long resetAt;
        long signaledAt;
        try (PreparedStatement ps = c.prepareStatement(STATE)) {
            ps.setString(1, recipient);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                resetAt = rs.getLong(1);
                signaledAt = rs.getLong(2);
            }
        }
        if (reset != null && reset > resetAt) {
            update(c, RESET, reset, recipient, reset);
            resetAt = reset;
        }
        if (signaledAt > 0 && now - signaledAt < s.cooldown()) {
            return null;   // no signal in the cooldown whatever the score: its clicks and opens are not read
        }
        long since = now - s.window();
        List<Object> args = List.of(recipient, resetAt, since);
        long clicks = count(c, COUNT_CLICKS, args);
        long opens = count(c, COUNT_OPENS, args);
        long score = clicks * s.clickPoints() + opens * s.openPoints();
        if (score < s.threshold()) {
            return null;
        }
        TreeSet<String> links = new TreeSet<>();   // read only for a signal: a busy clicker's rows are many
        query(c, CLICKS, args, rs -> links.add(rs.getString(1)));
        Signal signal = new Signal(EventIds.hash("lead|" + recipient + "|" + now), recipient, (int) score,
                (int) clicks, (int) opens, List.copyOf(links), now);
        try (PreparedStatement ps = c.prepareStatement(INSERT_SIGNAL)) {
            ps.setString(1, signal.id());
            ps.setString(2, recipient);
            ps.setInt(3, signal.score());
            ps.setInt(4, signal.clicks());
            ps.setInt(5, signal.opens());
            ps.setString(6, Json.MAPPER.valueToTree(signal.links()).toString());
            ps.setLong(7, now);
            ps.executeUpdate();
        }
        update(c, SIGNALED, now, recipient);
        return signal;
    }

    /**
     * Drops the clicks and opens that occurred before {@code before} (the start of the scoring window: they never
     * count again); returns how many. Without it each recipient's rows grew for ever, and the score reads them all.
     */
    public int purge(long before) {
        try (Connection c = dataSource.getConnection()) {
            return BatchedDelete.run(c, dialect, "lead_click", "recipient, esp, send_key, url_key", "d.clicked_at < ?",
                    before)
                    + BatchedDelete.run(c, dialect, "lead_open", "recipient, esp, send_key", "d.opened_at < ?", before);
        } catch (SQLException e) {
            throw StorageUnavailableException.of("lead scores", e);
        }
    }

    /** Signals created before {@code before} (or any), newest first, at most {@code limit}; after a cursor id. */
    public List<Signal> list(long since, Long beforeAt, String beforeId, int limit) {
        String sql = "SELECT " + SIGNAL_COLUMNS + " FROM lead_signal WHERE created_at >= ?"
                + (beforeAt == null ? "" : " AND (created_at < ? OR (created_at = ? AND id < ?))")
                + " ORDER BY created_at DESC, id DESC LIMIT " + limit;
        List<Object> args = new ArrayList<>(List.of(since));
        if (beforeAt != null) {
            args.addAll(List.of(beforeAt, beforeAt, beforeId));
        }
        return signals(sql, args);
    }

    /** Signals by id. */
    public Map<String, Signal> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String sql = "SELECT " + SIGNAL_COLUMNS + " FROM lead_signal WHERE id IN (" + InsightRows.marks(ids.size()) + ")";
        return signals(sql, new ArrayList<>(ids)).stream().collect(Collectors.toMap(Signal::id, s -> s));
    }

    private List<Signal> signals(String sql, List<Object> args) {
        List<Signal> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            query(c, sql, args, rs -> {
                try {
                    out.add(new Signal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                            Json.MAPPER.readerForListOf(String.class).readValue(rs.getString(6)), rs.getLong(7)));
                } catch (IOException e) {
                    throw new IllegalStateException("lead signal " + rs.getString(1) + " has unreadable links", e);
                }
            });
        } catch (SQLException e) {
            throw StorageUnavailableException.of("lead signals", e);
        }
        return out;
    }

    /** Inserts each row (values in keys-then-others order) whose key is not there yet, in one JDBC batch. */
    private void insertIfAbsent(Connection c, String table, List<String> keys, List<String> others,
                                Collection<List<Object>> rows) throws SQLException {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(others);
        String cols = String.join(", ", columns);
        String sql = dialect == Database.Dialect.POSTGRESQL
                ? "INSERT INTO " + table + " (" + cols + ") VALUES (" + InsightRows.marks(columns.size())
                        + ") ON CONFLICT DO NOTHING"
                : "MERGE INTO " + table + " t USING (VALUES (" + InsightRows.marks(columns.size()) + ")) s(" + cols
                        + ") ON " + keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "))
                        + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES ("
                        + columns.stream().map(k -> "s." + k).collect(Collectors.joining(", ")) + ")";
        Upserts.batch(c, sql, List.copyOf(rows), (ps, values) -> {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
        });
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static void query(Connection c, String sql, List<?> args, InsightQuery.RowReader reader)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private static long count(Connection c, String sql, List<?> args) throws SQLException {
        long[] n = new long[1];
        query(c, sql, args, rs -> n[0] = rs.getLong(1));
        return n[0];
    }
}
