package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The journal's inserts of one group transaction: replay tokens and events, each insert-when-absent, each
 * telling which rows were new. Callers pass every key once (a repeated key in one transaction misfires on H2).
 * PostgreSQL: one statement over arrays; H2: one guarded INSERT per row in a JDBC batch.
 */
final class JournalRows {
    private static final String H2_INSERT_EVENT =
            "INSERT INTO hub_event (id, esp, type, bounce_type, recipient, message_id, occurred_at, received_at, body, routes, "
                    + "tx, seq) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ? FROM (VALUES (0)) AS one(x) "
                    + "WHERE NOT EXISTS (SELECT 1 FROM hub_event WHERE id = ?)";
    private static final String PG_INSERT_EVENTS =
            "INSERT INTO hub_event (id, esp, type, bounce_type, recipient, message_id, occurred_at, received_at, body, routes) "
                    + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
                    + "?::varchar[], ?::bigint[], ?::bigint[], ?::text[], ?::varchar[]) ON CONFLICT (id) DO NOTHING RETURNING id";
    private static final String H2_INSERT_TOKEN = "INSERT INTO hub_replay_token (vendor, token, seen_at) "
            + "SELECT ?, ?, ? FROM (VALUES (0)) AS one(x) "
            + "WHERE NOT EXISTS (SELECT 1 FROM hub_replay_token WHERE vendor = ? AND token = ?)";
    private static final String PG_INSERT_TOKENS = "INSERT INTO hub_replay_token (vendor, token, seen_at) "
            + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[]) ON CONFLICT DO NOTHING RETURNING vendor, token";

    private JournalRows() {
    }

    /** A replay token: the vendor's single-use request token and when it was seen. */
    record Token(String vendor, String token, long seenAt) {
    }

    /** Inserts the tokens that are new; returns the indexes of those that were known already (replays). */
    static Set<Integer> insertTokens(Connection c, Database.Dialect dialect, List<Token> tokens) throws SQLException {
        Set<Integer> known = new HashSet<>();
        if (tokens.isEmpty()) {
            return known;
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            Set<Token> inserted = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(PG_INSERT_TOKENS)) {
                ps.setArray(1, strings(c, tokens, Token::vendor));
                ps.setArray(2, strings(c, tokens, Token::token));
                ps.setArray(3, c.createArrayOf("bigint", tokens.stream().map(Token::seenAt).toArray(Long[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(new Token(rs.getString(1), rs.getString(2), 0));
                    }
                }
            }
            for (int i = 0; i < tokens.size(); i++) {
                if (!inserted.contains(new Token(tokens.get(i).vendor(), tokens.get(i).token(), 0))) {
                    known.add(i);
                }
            }
            return known;
        }
        try (PreparedStatement ps = c.prepareStatement(H2_INSERT_TOKEN)) {
            for (Token t : tokens) {
                ps.setString(1, t.vendor());
                ps.setString(2, t.token());
                ps.setLong(3, t.seenAt());
                ps.setString(4, t.vendor());
                ps.setString(5, t.token());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    known.add(i);
                }
            }
        }
        return known;
    }

    /**
     * Inserts the events that are new; returns their ids. Each row gets its journal position: on PostgreSQL from the
     * column defaults (transaction id, sequence), on H2 the next number of the transaction's reservation. routes: per
     * event, its routes column (null: none).
     */
    static Set<String> insertEvents(Connection c, Database.Dialect dialect, List<CanonicalEvent> events,
                                    List<String> bodies, List<String> routes, JournalPositions.Reservation positions)
            throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (events.isEmpty()) {
            return inserted;
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement(PG_INSERT_EVENTS)) {
                ps.setArray(1, strings(c, events, CanonicalEvent::id));
                ps.setArray(2, strings(c, events, CanonicalEvent::esp));
                ps.setArray(3, strings(c, events, e -> e.type().wireName()));
                ps.setArray(4, strings(c, events, CanonicalEvent::bounceTypeName));
                ps.setArray(5, strings(c, events, CanonicalEvent::recipient));
                ps.setArray(6, strings(c, events, CanonicalEvent::messageId));
                ps.setArray(7, c.createArrayOf("bigint", events.stream().map(e -> e.occurredAt().toEpochMilli()).toArray(Long[]::new)));
                ps.setArray(8, c.createArrayOf("bigint", events.stream().map(e -> e.receivedAt().toEpochMilli()).toArray(Long[]::new)));
                ps.setArray(9, c.createArrayOf("text", bodies.toArray(String[]::new)));
                ps.setArray(10, c.createArrayOf("varchar", routes.toArray(String[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
            }
            return inserted;
        }
        try (PreparedStatement ps = c.prepareStatement(H2_INSERT_EVENT)) {
            for (int i = 0; i < events.size(); i++) {
                CanonicalEvent e = events.get(i);
                ps.setString(1, e.id());
                ps.setString(2, e.esp());
                ps.setString(3, e.type().wireName());
                ps.setString(4, e.bounceTypeName());
                ps.setString(5, e.recipient());
                ps.setString(6, e.messageId());
                ps.setLong(7, e.occurredAt().toEpochMilli());
                ps.setLong(8, e.receivedAt().toEpochMilli());
                ps.setString(9, bodies.get(i));
                ps.setString(10, routes.get(i));
                ps.setLong(11, positions.next());
                ps.setString(12, e.id());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                // SUCCESS_NO_INFO would hide duplicates; H2 reports row counts for these statements
                if (counts[i] != 0) {
                    inserted.add(events.get(i).id());
                }
            }
        }
        return inserted;
    }

    private static <T> Array strings(Connection c, List<T> rows, Function<T, String> column) throws SQLException {
        return c.createArrayOf("varchar", rows.stream().map(column).toArray(String[]::new));
    }
}
