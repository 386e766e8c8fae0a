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
    private static final String LINK_COLUMNS = "esp, send_key, recipient, url_key, url, clicks, machine_clicks";
    private static final String PG_LINK = "INSERT INTO insight_send_link (" + LINK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (esp, send_key, recipient, url_key) DO UPDATE SET clicks = insight_send_link.clicks "
            + "+ EXCLUDED.clicks, machine_clicks = insight_send_link.machine_clicks + EXCLUDED.machine_clicks";
    private static final String H2_LINK_ADD = "UPDATE insight_send_link SET clicks = clicks + ?, machine_clicks = "
            + "machine_clicks + ? WHERE esp = ? AND send_key = ? AND recipient = ? AND url_key = ?";
    private static final String H2_LINK_INSERT = "INSERT INTO insight_send_link (" + LINK_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final Connection c;
    private final Database.Dialect dialect;
    private final Map<String, String> tagsets = new LinkedHashMap<>();
    /** Per send id: the send, and the links clicked and bounce reasons of this batch. */
    private final Map<String, SendState> detailed = new LinkedHashMap<>();
    private final Map<String, SendDetails> details = new LinkedHashMap<>();

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

    /** An event of no send (not counted before: see markApplied). */
    void insertOrphan(CanonicalEvent e, String tagset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insight_orphan (event_id, occurred_at, esp, "
                + "recipient_domain, tagset, type, machine) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.id());
            ps.setLong(2, e.occurredAt().toEpochMilli());
            ps.setString(3, e.esp());
            ps.setString(4, Sends.recipientDomain(e.recipient()));
            ps.setString(5, tagset);
            ps.setString(6, e.type().wireName());
            ps.setBoolean(7, e.machine());
            ps.executeUpdate();
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
        try (PreparedStatement update = c.prepareStatement(UPDATE_SEND); PreparedStatement insert = c.prepareStatement(INSERT_SEND)) {
            for (SendState s : sends) {
                PreparedStatement ps = existing.contains(s.id()) ? update : insert;
                ps.setLong(1, s.sentAt);
                ps.setString(2, s.domain());
                ps.setString(3, tagset(s.tags));
                ps.setInt(4, s.flags);
                ps.setInt(5, s.counts[4]);
                for (int i = 0; i < 4; i++) {
                    ps.setInt(6 + i, s.counts[i]);
                }
                if (s.deliveredAt == null) {
                    ps.setNull(10, Types.BIGINT);
                } else {
                    ps.setLong(10, s.deliveredAt);
                }
                ps.setLong(11, s.lastEventAt);
                ps.setString(12, s.esp);
                ps.setString(13, s.sendKey);
                ps.setString(14, s.recipient);
                ps.addBatch();
            }
            update.executeBatch();
            insert.executeBatch();
        }
    }

    void writeTagsets() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertIgnore("insight_tagset", "tagset, tags", "tagset", 2))) {
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

    void click(SendState send, String url, boolean machine) {
        batchDetails(send).click(url, machine ? 0 : 1, machine ? 1 : 0);
    }

    void bounce(SendState send, String reason, String bounceType) {
        batchDetails(send).bounce(reason, bounceType);
    }

    private SendDetails batchDetails(SendState send) {
        detailed.put(send.id(), send);
        return details.computeIfAbsent(send.id(), k -> new SendDetails());
    }

    /** The links and bounce reasons of this batch for the send (none: empty). */
    SendDetails batchDetails(String sendId) {
        return details.getOrDefault(sendId, new SendDetails());
    }

    /** The links and bounce reasons stored for these sends, by send id (a send with none is left out). */
    Map<String, SendDetails> storedDetails(Collection<SendState> sends) throws SQLException {
        Map<String, SendDetails> out = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Map<String, Set<String>> keysByEsp = new TreeMap<>();
        for (SendState send : sends) {
            ids.add(send.id());
            keysByEsp.computeIfAbsent(send.esp, k -> new TreeSet<>()).add(send.sendKey);
        }
        DetailReader link = (d, rs) -> d.click(rs.getString(4), rs.getLong(5), rs.getLong(6));
        DetailReader bounce = (d, rs) -> d.bounce(rs.getString(4), rs.getString(5).isEmpty() ? null : rs.getString(5));
        String links = "SELECT esp, send_key, recipient, url, clicks, machine_clicks FROM insight_send_link WHERE esp = ? AND ";
        String bounces = "SELECT esp, send_key, recipient, reason, bounce_type FROM insight_send_bounce WHERE esp = ? AND ";
        for (Map.Entry<String, Set<String>> esp : keysByEsp.entrySet()) {
            if (dialect == Database.Dialect.POSTGRESQL) {
                for (List<String> chunk : chunks(esp.getValue())) {
                    String in = "send_key IN (" + marks(chunk.size()) + ")";
                    try (PreparedStatement l = c.prepareStatement(links + in); PreparedStatement b = c.prepareStatement(bounces + in)) {
                        readDetails(l, esp.getKey(), chunk, ids, out, link);
                        readDetails(b, esp.getKey(), chunk, ids, out, bounce);
                    }
                }
            } else {
                // H2 takes only "esp = ?" of the primary key for "esp = ? AND send_key IN (...)" and reads every row
                // of the ESP: one lookup per send key instead
                try (PreparedStatement l = c.prepareStatement(links + "send_key = ?");
                     PreparedStatement b = c.prepareStatement(bounces + "send_key = ?")) {
                    for (String key : esp.getValue()) {
                        readDetails(l, esp.getKey(), List.of(key), ids, out, link);
                        readDetails(b, esp.getKey(), List.of(key), ids, out, bounce);
                    }
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface DetailReader {
        void read(SendDetails into, ResultSet rs) throws SQLException;
    }

    private static void readDetails(PreparedStatement ps, String esp, List<String> keys, Set<String> ids,
                                    Map<String, SendDetails> out, DetailReader reader) throws SQLException {
        ps.setString(1, esp);
        bind(ps, 2, keys);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = SendState.id(rs.getString(1), rs.getString(2), rs.getString(3));
                if (ids.contains(id)) {
                    reader.read(out.computeIfAbsent(id, k -> new SendDetails()), rs);
                }
            }
        }
    }

    void writeDetails() throws SQLException {
        List<Map.Entry<List<String>, long[]>> links = new ArrayList<>();
        List<Map.Entry<List<String>, String>> bounces = new ArrayList<>();
        details.forEach((id, d) -> {
            SendState send = detailed.get(id);
            d.clicks.forEach((url, n) -> links.add(Map.entry(List.of(send.esp, send.sendKey, send.recipient, url), n)));
            d.bounces.forEach((key, reason) -> bounces.add(Map.entry(
                    List.of(send.esp, send.sendKey, send.recipient, key.get(0), key.get(1)), reason == null ? "" : reason)));
        });
        if (dialect == Database.Dialect.POSTGRESQL) {
            Upserts.batch(c, PG_LINK, links, (ps, e) -> bindLink(ps, 1, 6, e));
        } else {
            int[] updated = Upserts.batch(c, H2_LINK_ADD, links, (ps, e) -> {
                ps.setLong(1, e.getValue()[0]);
                ps.setLong(2, e.getValue()[1]);
                List<String> k = e.getKey();
                bind(ps, 3, List.of(k.get(0), k.get(1), k.get(2), EventIds.hash(k.get(3))));
            });
            Upserts.batch(c, H2_LINK_INSERT, Upserts.missing(links, updated), (ps, e) -> bindLink(ps, 1, 6, e));
        }
        Upserts.batch(c, insertIgnore("insight_send_bounce", "esp, send_key, recipient, reason_key, bounce_type, reason",
                "esp, send_key, recipient, reason_key, bounce_type", 6), bounces, (ps, e) -> {
                    bind(ps, 1, e.getKey());
                    ps.setString(6, e.getValue().isEmpty() ? null : e.getValue());
                });
    }

    private static void bindLink(PreparedStatement ps, int keyAt, int countsAt, Map.Entry<List<String>, long[]> e)
            throws SQLException {
        List<String> k = e.getKey();
        bind(ps, keyAt, List.of(k.get(0), k.get(1), k.get(2), EventIds.hash(k.get(3)), k.get(3)));
        ps.setLong(countsAt, e.getValue()[0]);
        ps.setLong(countsAt + 1, e.getValue()[1]);
    }

    /** An INSERT that leaves an existing row of the same key in place (on H2 it rewrites it with the same values). */
    private String insertIgnore(String table, String columns, String key, int n) {
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
