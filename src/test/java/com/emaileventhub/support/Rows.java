package com.emaileventhub.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Small JDBC reads for assertions. */
public final class Rows {
    private Rows() {
    }

    public static long count(DataSource ds, String sql, Object... args) {
        return Long.parseLong(strings(ds, sql, args).get(0));
    }

    public static List<String> strings(DataSource ds, String sql, Object... args) {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * What the fan-out chose for a recipient's events, sorted: their outbox rows, and the routed destinations (leads,
     * suppression) named on their journal rows, which those destinations' cursors take instead.
     */
    public static List<String> chosenDestinations(DataSource ds, String recipient) {
        List<String> chosen = new ArrayList<>(strings(ds, "SELECT d.destination FROM hub_delivery d "
                + "JOIN hub_event e ON e.id = d.event_id WHERE e.recipient = ?", recipient));
        for (String routes : strings(ds, "SELECT routes FROM hub_event WHERE recipient = ? AND routes IS NOT NULL",
                recipient)) {
            for (String name : routes.split(",")) {
                if (!name.isEmpty()) {
                    chosen.add(name);
                }
            }
        }
        chosen.sort(null);
        return chosen;
    }
}
