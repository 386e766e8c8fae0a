package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The archive's row of a canonical event: its columns, and one INSERT of many rows as one array per column, unnested
 * by the database, so the statement is the same short text whatever the number of rows, and nothing from an event is
 * ever part of the SQL. Idempotent on id: PostgreSQL skips known ids (ON CONFLICT DO NOTHING), H2 merges on the key
 * (the row written is the same). Times travel as ISO-8601 text, parsed by the database.
 *
 * <p>Two writers use it: the archive destination (camel-jdbc, an archive database of its own) and the journal's
 * maintenance, which moves events past the journal's retention into the archive's table when the archive lives in the
 * hub's database (the journal is the archive's recent part there: {@code db/archive-journal}).
 */
public final class ArchiveRows {
    public static final List<String> COLUMNS = List.of("id", "esp", "type", "bounce_type", "occurred_at", "received_at",
            "recipient", "message_id", "esp_event_id", "reason", "mta_response", "url", "user_agent", "ip", "tags",
            "metadata", "raw");

    /** The array type a column travels as: PostgreSQL's, then H2's (times as ISO-8601 text, parsed by the database). */
    private enum ArrayType {
        BOUNDED("varchar[]", "VARCHAR ARRAY"),
        TEXT("text[]", "CHARACTER LARGE OBJECT ARRAY"),
        TIME("timestamptz[]", "TIMESTAMP WITH TIME ZONE ARRAY");

        final String postgresql;
        final String h2;

        ArrayType(String postgresql, String h2) {
            this.postgresql = postgresql;
            this.h2 = h2;
        }
    }

    private static final ArrayType B = ArrayType.BOUNDED;
    private static final ArrayType T = ArrayType.TEXT;
    /** In COLUMNS order: bounded strings (B), free text (T) and the two times. */
    private static final ArrayType[] TYPES = {B, B, B, B, ArrayType.TIME, ArrayType.TIME, B, B, B, T, T, T, T, B, T, T, T};

    private ArchiveRows() {
    }

    /**
     * The INSERT into {@code table}, one array parameter per column; {@code placeholder} writes column n's parameter
     * ({@code ?} for JDBC, {@code :?c3} for camel-jdbc's named parameters).
     */
    public static String insert(Database.Dialect dialect, String table, IntFunction<String> placeholder) {
        boolean pg = dialect == Database.Dialect.POSTGRESQL;
        String columns = String.join(", ", COLUMNS);
        StringBuilder sql = new StringBuilder(pg ? "INSERT INTO " + table + " (" + columns + ") SELECT * FROM unnest("
                : "MERGE INTO " + table + " (" + columns + ") KEY (id) SELECT * FROM UNNEST(");
        for (int col = 0; col < COLUMNS.size(); col++) {
            String type = pg ? TYPES[col].postgresql : TYPES[col].h2;
            sql.append(col == 0 ? "" : ", ").append("CAST(").append(placeholder.apply(col)).append(" AS ").append(type)
                    .append(')');
        }
        return sql.append(pg ? ") ON CONFLICT (id) DO NOTHING" : ")").toString();
    }

    /** The statement's parameters: per column, the events' values in order. */
    public static String[][] columns(List<CanonicalEvent> events) {
        String[][] columns = new String[COLUMNS.size()][events.size()];
        for (int row = 0; row < events.size(); row++) {
            String[] values = values(events.get(row));
            for (int col = 0; col < values.length; col++) {
                columns[col][row] = values[col];
            }
        }
        return columns;
    }

    private static String[] values(CanonicalEvent e) {
        return new String[] {e.id(), e.esp(), e.type().wireName(), e.bounceTypeName(), e.occurredAt().toString(),
                e.receivedAt().toString(), e.recipient(), e.messageId(), e.espEventId(), e.reason(), e.mtaResponse(),
                e.url(), e.userAgent(), e.ip(), json(e.tags()), json(e.metadata()), json(e.raw())};
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical field not serialisable", e);
        }
    }
}
