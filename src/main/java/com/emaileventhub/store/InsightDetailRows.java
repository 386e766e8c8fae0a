package com.emaileventhub.store;

import static com.emaileventhub.store.InsightRows.bind;
import static com.emaileventhub.store.InsightRows.chunks;
import static com.emaileventhub.store.InsightRows.marks;

import com.emaileventhub.event.EventIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * The clicked links and bounce reasons of each send (insight_send_link, insight_send_bounce), collected from a batch,
 * read as stored and written, inside the transaction of one batch.
 */
final class InsightDetailRows {
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
    /** Per send id: the send, and the links clicked and bounce reasons of this batch. */
    private final Map<String, SendState> detailed = new LinkedHashMap<>();
    private final Map<String, SendDetails> details = new LinkedHashMap<>();

    InsightDetailRows(Connection c, Database.Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
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
        Upserts.batch(c, InsightRows.insertIgnore(dialect, "insight_send_bounce", "esp, send_key, recipient, reason_key, bounce_type, reason",
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
}
