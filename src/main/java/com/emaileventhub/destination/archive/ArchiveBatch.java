package com.emaileventhub.destination.archive;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.store.ArchiveRows;
import com.emaileventhub.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Turns a delivery batch into one INSERT for camel-jdbc ({@link ArchiveRows}): one array per column with named
 * placeholders ({@code :?c3}), parsed once per connection, the arrays travelling in the {@code CamelJdbcParameters}
 * header. Used where the archive has a database of its own (hub.archive.db.url); in the hub's database the journal is
 * the archive's recent part and nothing is copied per event.
 *
 * <p>The form with one row of placeholders per event (8,500 for a batch of 500, parsed and bound on every call) cost
 * 94 µs of CPU per archived event on PostgreSQL, hub and server together; this one 41 (docs/benchmarks.md).
 */
public final class ArchiveBatch {
    static final String PARAMETERS = "CamelJdbcParameters";

    private final String sql;

    public ArchiveBatch(Database.Dialect dialect) {
        this.sql = ArchiveRows.insert(dialect, "hub_archive", col -> ":?c" + col);
    }

    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        String[][] columns = ArchiveRows.columns(events);
        Map<String, Object> params = new HashMap<>(columns.length * 2);
        for (int col = 0; col < columns.length; col++) {
            params.put("c" + col, columns[col]);
        }
        var msg = exchange.getMessage();
        msg.getHeaders().clear();
        msg.setHeader(PARAMETERS, params);
        msg.setBody(sql);
    }
}
