package com.emaileventhub.destination.archive;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Turns a delivery batch into one multi-row INSERT for camel-jdbc: the statement text holds only
 * named placeholders ({@code :?c3_7}), the values travel in the {@code CamelJdbcParameters} header,
 * so nothing from an event is ever part of the SQL. Idempotent on id: PostgreSQL skips known ids
 * (ON CONFLICT DO NOTHING), H2 merges on the key (the row written is the same).
 */
public final class ArchiveBatch {
    static final String PARAMETERS = "CamelJdbcParameters";
    static final String[] COLUMNS = {"id", "esp", "type", "bounce_type", "occurred_at", "received_at", "recipient",
            "message_id", "esp_event_id", "reason", "mta_response", "url", "user_agent", "ip", "tags", "metadata", "raw"};
    private static final String COLUMN_LIST = String.join(", ", COLUMNS);

    private final Database.Dialect dialect;

    public ArchiveBatch(Database.Dialect dialect) {
        this.dialect = dialect;
    }

    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        Map<String, Object> params = new HashMap<>(events.size() * COLUMNS.length * 2);
        StringBuilder sql = new StringBuilder(64 + events.size() * COLUMNS.length * 10);
        sql.append(dialect == Database.Dialect.H2 ? "MERGE INTO hub_archive (" + COLUMN_LIST + ") KEY (id) VALUES "
                : "INSERT INTO hub_archive (" + COLUMN_LIST + ") VALUES ");
        for (int row = 0; row < events.size(); row++) {
            Object[] values = values(events.get(row));
            sql.append(row == 0 ? "(" : ", (");
            for (int col = 0; col < COLUMNS.length; col++) {
                String name = "c" + row + "_" + col;
                sql.append(col == 0 ? ":?" : ", :?").append(name);
                params.put(name, values[col]);
            }
            sql.append(')');
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            sql.append(" ON CONFLICT (id) DO NOTHING");
        }
        var msg = exchange.getMessage();
        msg.getHeaders().clear();
        msg.setHeader(PARAMETERS, params);
        msg.setBody(sql.toString());
    }

    static Object[] values(CanonicalEvent e) {
        return new Object[] {e.id(), e.esp(), e.type().wireName(), e.bounceTypeName(), utc(e.occurredAt()),
                utc(e.receivedAt()), e.recipient(), e.messageId(), e.espEventId(), e.reason(), e.mtaResponse(), e.url(),
                e.userAgent(), e.ip(), json(e.tags()), json(e.metadata()), json(e.raw())};
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical field not serialisable", e);
        }
    }
}
