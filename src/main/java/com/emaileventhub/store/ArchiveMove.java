package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the journal is the archive's recent part (the archive in the hub's own database, {@code db/archive-journal}),
 * the events past the journal's retention leave it for hub_archive_past instead of being deleted: the archive's row
 * is written and the journal's deleted in one transaction of at most {@value #BATCH} events, so an event is always in
 * one of the two and the hub_archive view shows it once. Two instances moving the same rows at once both succeed: the
 * archive's insert is idempotent on id.
 */
final class ArchiveMove {
    /** Events moved per transaction (a raw payload may be large; the delete's batch is 5,000 keys). */
    static final int BATCH = 1_000;
    static final String TABLE = "hub_archive_past";

    private ArchiveMove() {
    }

    /**
     * Moves the journal rows {@code where} selects (the journal's alias there is d; its parameters {@code args});
     * returns how many. The connection must be in auto-commit; it is again on return.
     */
    static int run(Connection c, Database.Dialect dialect, String where, Object... args) throws SQLException {
        String select = "SELECT d.id, d.body FROM hub_event d WHERE " + where + dialect.firstRows(BATCH);
        String insert = ArchiveRows.insert(dialect, TABLE, col -> "?");
        int total = 0;
        int moved;
        c.setAutoCommit(false);
        try (PreparedStatement read = c.prepareStatement(select);
             PreparedStatement write = c.prepareStatement(insert);
             PreparedStatement delete = c.prepareStatement("DELETE FROM hub_event WHERE id = ANY(?)")) {
            do {
                List<CanonicalEvent> events = read(read, args);
                moved = events.size();
                if (moved > 0) {
                    String[][] columns = ArchiveRows.columns(events);
                    for (int col = 0; col < columns.length; col++) {
                        write.setObject(col + 1, columns[col]);
                    }
                    write.executeUpdate();
                    delete.setObject(1, events.stream().map(CanonicalEvent::id).toArray(String[]::new));
                    delete.executeUpdate();
                }
                c.commit();
                total += moved;
            } while (moved == BATCH);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return total;
    }

    private static List<CanonicalEvent> read(PreparedStatement read, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            read.setObject(i + 1, args[i]);
        }
        List<CanonicalEvent> events = new ArrayList<>();
        try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                try {
                    events.add(Json.MAPPER.readValue(rs.getString(2), CanonicalEvent.class));
                } catch (JsonProcessingException e) {
                    // the journal's bodies are written by the hub: one that does not read back is a defect, kept
                    throw new IllegalStateException("journal event " + rs.getString(1) + " does not read back", e);
                }
            }
        }
        return events;
    }
}
