package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventIds;
import com.emaileventhub.event.Json;
import com.emaileventhub.event.Sends;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The per-send rows of the insight figures, read and written inside the transaction of one batch. */
final class InsightRows {
    private static final int CHUNK = 500;
    private static final String SEND_COLUMNS = "esp, send_key, recipient, sent_at, recipient_domain, tagset, flags, "
            + "events, opens, clicks, machine_opens, machine_clicks, delivered_at, last_event_at";
    private static final String UPDATE_SEND = "UPDATE insight_send SET sent_at = ?, recipient_domain = ?, tagset = ?, "
            + "flags = ?, events = ?, opens = ?, clicks = ?, machine_opens = ?, machine_clicks = ?, delivered_at = ?, "
            + "last_event_at = ? WHERE esp = ? AND send_key = ? AND recipient = ?";
    private static final String INSERT_SEND = "INSERT INTO insight_send (sent_at, recipient_domain, tagset, flags, "
            + "events, opens, clicks, machine_opens, machine_clicks, delivered_at, last_event_at, esp, send_key, "
            + "recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The SQL types of a send's values (sendValues), in the column order of INSERT_SEND and UPDATE_SEND. */
    private static final int[] SEND_TYPES = {Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.INTEGER,
            Types.INTEGER, Types.INTEGER, Types.INTEGER, Types.INTEGER, Types.BIGINT, Types.BIGINT, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR};
    /** The columns of INSERT_SEND / UPDATE_SEND, in their order, as arrays (PostgreSQL). */
    private static final String PG_SEND_ARRAYS = "unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::int[], "
            + "?::int[], ?::int[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[])";
    private static final String PG_INSERT_SENDS = "INSERT INTO insight_send (sent_at, recipient_domain, tagset, flags, "
            + "events, opens, clicks, machine_opens, machine_clicks, delivered_at, last_event_at, esp, send_key, "
            + "recipient) SELECT * FROM " + PG_SEND_ARRAYS;
    private static final String PG_UPDATE_SENDS = "UPDATE insight_send s SET sent_at = v.sent_at, "
            + "recipient_domain = v.recipient_domain, tagset = v.tagset, flags = v.flags, events = v.events, "
            + "opens = v.opens, clicks = v.clicks, machine_opens = v.machine_opens, machine_clicks = v.machine_clicks, "
            + "delivered_at = v.delivered_at, last_event_at = v.last_event_at FROM " + PG_SEND_ARRAYS
            + " AS v(sent_at, recipient_domain, tagset, flags, events, opens, clicks, machine_opens, machine_clicks, "
            + "delivered_at, last_event_at, esp, send_key, recipient) "
            + "WHERE s.esp = v.esp AND s.send_key = v.send_key AND s.recipient = v.recipient";
    private final Connection c;
    private final Database.Dialect dialect;
    private final Map<String, String> tagsets = new LinkedHashMap<>();

    InsightRows(Connection c, Database.Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /** The events not counted before, now recorded as counted. */
    List<CanonicalEvent> markApplied(List<CanonicalEvent> batch, long now) throws SQLException {
        Map<String, CanonicalEvent> byId = new TreeMap<>();   // one lock order for every writer
        batch.forEach(e -> byId.putIfAbsent(e.id(), e));
        if (dialect == Database.Dialect.POSTGRESQL) {
            return markAppliedPg(byId, now);
        }
        for (List<String> chunk : chunks(byId.keySet())) {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM insight_applied WHERE event_id IN ("
                    + marks(chunk.size()) + ")")) {
                bind(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.remove(rs.getString(1));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insight_applied (event_id, applied_at) VALUES (?, ?)")) {
            for (String id : byId.keySet()) {
                ps.setString(1, id);
                ps.setLong(2, now);
                ps.addBatch();
            }
            if (!byId.isEmpty()) {
                ps.executeBatch();
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * PostgreSQL: one statement records the ids and answers which were new (a record another transaction is writing is
     * waited for, and counts as not new once that one commits). Measured on the 5-million-send fill, the SELECT that
     * this replaces was a fifth of the database's time.
     */
    private List<CanonicalEvent> markAppliedPg(Map<String, CanonicalEvent> byId, long now) throws SQLException {
        List<CanonicalEvent> out = new ArrayList<>();
        if (byId.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insight_applied (event_id, applied_at) "
                + "SELECT unnest(?::varchar[]), ? ON CONFLICT (event_id) DO NOTHING RETURNING event_id")) {
            ps.setArray(1, c.createArrayOf("varchar", byId.keySet().toArray()));
            ps.setLong(2, now);
            Set<String> fresh = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
            byId.forEach((id, e) -> {
                if (fresh.contains(id)) {
                    out.add(e);
                }
            });
        }
        return out;
    }

    /** The key of a tag set ('' for none), kept to be stored with its tags. */
    String tagset(Set<String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(tags));
        String key = EventIds.hash(String.join("\n", sorted));
        tagsets.computeIfAbsent(key, k -> Json.MAPPER.valueToTree(sorted).toString());
        return key;
    }

    /**
     * Records an event of no send; false when it is recorded already, and so counted: the same event stored again
     * after the journal's retention (its de-duplication window) forgot it, an ESP resending it late. Its id is the
     * key, so it counts once (a send's event is counted into its send's state, which such a resend does not change
     * but for its open and click totals).
     */
    boolean insertOrphan(CanonicalEvent e, String tagset) throws SQLException {
        String columns = "event_id, occurred_at, esp, recipient_domain, tagset, type, machine";
        // H2's form of insertIgnore (MERGE) counts a row it finds as written: here it must say whether it was new
        String sql = dialect == Database.Dialect.POSTGRESQL
                ? insertIgnore(dialect, "insight_orphan", columns, "event_id", 7)
                : "INSERT INTO insight_orphan (" + columns + ") SELECT " + marks(7) + " WHERE NOT EXISTS "
                        + "(SELECT 1 FROM insight_orphan WHERE event_id = ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, e.id());
            ps.setLong(2, e.occurredAt().toEpochMilli());
            ps.setString(3, e.esp());
            ps.setString(4, Sends.recipientDomain(e.recipient()));
            ps.setString(5, tagset);
            ps.setString(6, e.type().wireName());
            ps.setBoolean(7, e.machine());
            if (dialect != Database.Dialect.POSTGRESQL) {
                ps.setString(8, e.id());
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** The stored state of these sends, locked until the transaction ends. */
    Map<String, SendState> lockSends(Set<String> ids) throws SQLException {
        Map<String, SendState> out = new HashMap<>();
        Set<String> keys = new TreeSet<>();
        ids.forEach(id -> keys.add(id.split("\n", -1)[1]));
        for (List<String> chunk : chunks(keys)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SEND_COLUMNS + " FROM insight_send WHERE send_key IN ("
                    + marks(chunk.size()) + ") ORDER BY esp, send_key, recipient FOR UPDATE")) {
                bind(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        SendState s = read(rs);
                        if (ids.contains(s.id())) {
                            out.put(s.id(), s);
                        }
                    }
                }
            }
        }
        return out;
    }

    private SendState read(ResultSet rs) throws SQLException {
        SendState s = new SendState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
        s.tags.addAll(tags(rs.getString(6)));
        s.flags = rs.getInt(7);
        s.counts[4] = rs.getInt(8);
        for (int i = 0; i < 4; i++) {
            s.counts[i] = rs.getInt(9 + i);
        }
        long delivered = rs.getLong(13);
        s.deliveredAt = rs.wasNull() ? null : delivered;
        s.lastEventAt = rs.getLong(14);
        return s;
    }

    private List<String> tags(String tagset) throws SQLException {
        if (tagset.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT tags FROM insight_tagset WHERE tagset = ?")) {
            ps.setString(1, tagset);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("tag set " + tagset + " is not stored");
                }
                return Json.MAPPER.readerForListOf(String.class).readValue(rs.getString(1));
            } catch (IOException e) {
                throw new IllegalStateException("tag set " + tagset + " is unreadable", e);
            }
        }
    }

    void saveSends(List<SendState> sends, Set<String> existing) throws SQLException {
        if (dialect == Database.Dialect.POSTGRESQL) {
            List<SendState> updates = new ArrayList<>();
            List<SendState> inserts = new ArrayList<>();
            sends.forEach(s -> (existing.contains(s.id()) ? updates : inserts).add(s));
            saveSendsPg(PG_UPDATE_SENDS, updates);
            saveSendsPg(PG_INSERT_SENDS, inserts);
            return;
        }
        try (PreparedStatement update = c.prepareStatement(UPDATE_SEND); PreparedStatement insert = c.prepareStatement(INSERT_SEND)) {
            for (SendState s : sends) {
                PreparedStatement ps = existing.contains(s.id()) ? update : insert;
                Object[] values = sendValues(s);
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i], SEND_TYPES[i]);
                }
                ps.addBatch();
            }
            update.executeBatch();
            insert.executeBatch();
        }
    }

    /** A send's values in the column order of INSERT_SEND and UPDATE_SEND (and of PG_SEND_ARRAYS): SEND_TYPES. */
    private Object[] sendValues(SendState s) {
        return new Object[] {s.sentAt, s.domain(), tagset(s.tags), s.flags, s.counts[4], s.counts[0], s.counts[1],
                s.counts[2], s.counts[3], s.deliveredAt, s.lastEventAt, s.esp, s.sendKey, s.recipient};
    }

    /**
     * PostgreSQL: the sends as one statement over arrays, one per column. Measured on Postmark singles (one new send per
     * event), the row-by-row INSERT was the database's third-largest cost: 101,608 executions, 0.033 ms each.
     */
    private void saveSendsPg(String sql, List<SendState> sends) throws SQLException {
        if (sends.isEmpty()) {
            return;
        }
        Object[][] columns = new Object[SEND_TYPES.length][sends.size()];
        for (int row = 0; row < sends.size(); row++) {
            Object[] values = sendValues(sends.get(row));
            for (int i = 0; i < values.length; i++) {
                columns[i][row] = values[i];
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.length; i++) {
                ps.setArray(i + 1, switch (SEND_TYPES[i]) {
                    case Types.BIGINT -> c.createArrayOf("bigint", Arrays.copyOf(columns[i], columns[i].length, Long[].class));
                    case Types.INTEGER -> c.createArrayOf("integer", Arrays.copyOf(columns[i], columns[i].length, Integer[].class));
                    default -> c.createArrayOf("varchar", Arrays.copyOf(columns[i], columns[i].length, String[].class));
                });
            }
            ps.executeUpdate();
        }
    }

    void writeTagsets() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertIgnore(dialect, "insight_tagset", "tagset, tags", "tagset", 2))) {
            for (Map.Entry<String, String> e : tagsets.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.addBatch();
            }
            if (!tagsets.isEmpty()) {
                ps.executeBatch();
            }
        }
    }

    /** An INSERT that leaves an existing row of the same key in place (on H2 it rewrites it with the same values). */
    static String insertIgnore(Database.Dialect dialect, String table, String columns, String key, int n) {
        String values = "VALUES (" + marks(n) + ")";
        return dialect == Database.Dialect.POSTGRESQL
                ? "INSERT INTO " + table + " (" + columns + ") " + values + " ON CONFLICT (" + key + ") DO NOTHING"
                : "MERGE INTO " + table + " (" + columns + ") KEY (" + key + ") " + values;
    }

    static String marks(int n) {
        return "?" + ", ?".repeat(n - 1);
    }

    static void bind(PreparedStatement ps, int from, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(from + i, values.get(i));
        }
    }

    static List<List<String>> chunks(Collection<String> values) {
        List<List<String>> out = new ArrayList<>();
        List<String> all = new ArrayList<>(values);
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }
}
