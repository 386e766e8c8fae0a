package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Alert state (hub_alert) and what alerts told their channels (hub_alert_notification). An evaluation runs in
 * one transaction holding the lock row, so instances sharing the database take turns: the second sees what the
 * first opened and notified, and has nothing left to send. A notification is queued in the same transaction for
 * every channel destination, so it is delivered (retried, dead-lettered, replayed) like any outbox item.
 */
public final class AlertStore {
    /** The esp of the stand-in event a channel destination's worker hands over for a notification. */
    public static final String NOTIFICATION_ESP = "hub-alerts";
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    /** One alert as stored; group is its JSON object text. */
    public record Alert(String id, String rule, String dedupKey, String group, String status, String severity,
                        double value, Long numerator, Long denominator, double warn, double critical, String window,
                        long startedAt, long evaluatedAt, long notifiedAt, Long belowSince, Long resolvedAt) {
    }

    /** A changed alert, and the notification it sends (action null: none, only its state is saved). */
    public record Change(Alert alert, String action, String notificationId, String body) {
    }

    /** A stored notification. */
    public record Notification(String id, String alertId, String action, String body, long createdAt) {
    }

    private static final String COLUMNS = "id, rule, dedup_key, group_json, status, severity, alert_value, numerator, "
            + "denominator, warn, critical, alert_window, started_at, evaluated_at, notified_at, below_since, resolved_at";
    private static final String LOCK = "SELECT evaluated_at FROM hub_alert_lock WHERE name = 'alerts' FOR UPDATE";
    private static final String STAMP = "UPDATE hub_alert_lock SET evaluated_at = ? WHERE name = 'alerts'";
    private static final String FIRING_OF_RULE = "SELECT " + COLUMNS + " FROM hub_alert WHERE status = 'firing' AND rule = ?";
    private static final String INSERT = "INSERT INTO hub_alert (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE hub_alert SET status = ?, severity = ?, alert_value = ?, numerator = ?, "
            + "denominator = ?, evaluated_at = ?, notified_at = ?, below_since = ?, resolved_at = ? WHERE id = ?";
    private static final String NOTIFY = "INSERT INTO hub_alert_notification (id, alert_id, action, body, created_at) "
            + "VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public AlertStore(Database database) {
        this(database.dataSource(), database.dialect());
    }

    AlertStore(DataSource dataSource, Database.Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Under the lock: hands the rule's firing alerts (by dedup key) to {@code decide}, saves the changes it
     * returns, and queues each change's notification for the {@code channels} destinations.
     */
    public List<Change> evaluate(String rule, long now, List<String> channels,
                                 Function<Map<String, Alert>, List<Change>> decide) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                try (PreparedStatement lock = c.prepareStatement(LOCK); ResultSet rs = lock.executeQuery()) {
                    rs.next();
                }
                Map<String, Alert> firing = new LinkedHashMap<>();
                select(c, FIRING_OF_RULE, List.of(rule), a -> firing.put(a.dedupKey(), a));
                List<Change> changes = decide.apply(Collections.unmodifiableMap(firing));
                List<String> destinations = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (Change change : changes) {
                    save(c, change.alert(), firing.containsKey(change.alert().dedupKey()));
                    if (change.action() != null) {
                        insertNotification(c, change, now);
                        for (String channel : channels) {
                            destinations.add(channel);
                            ids.add(change.notificationId());
                        }
                    }
                }
                DeliveryQueue.enqueue(c, dialect, destinations, ids, now);
                try (PreparedStatement ps = c.prepareStatement(STAMP)) {
                    ps.setLong(1, now);
                    ps.executeUpdate();
                }
                return changes;
            });
        } catch (SQLException e) {
            throw StorageUnavailableException.of("alert evaluation", e);
        }
    }

    /** Alerts of a status (null: all), newest first. */
    public List<Alert> list(String status, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM hub_alert" + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY started_at DESC, id DESC LIMIT " + limit;
        List<Alert> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            select(c, sql, status == null ? List.of() : List.of(status), out::add);
        } catch (SQLException e) {
            throw StorageUnavailableException.of("alert listing", e);
        }
        return out;
    }

    /** Firing alerts per rule (for the gauges). */
    public Map<String, Long> firingPerRule() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT rule, COUNT(*) FROM hub_alert WHERE status = 'firing' GROUP BY rule");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("alert gauges", e);
        }
        return out;
    }

    /** Notifications by id; ids missing from the answer do not exist. */
    public Map<String, Notification> notifications(List<String> ids) {
        Map<String, Notification> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String sql = "SELECT id, alert_id, action, body, created_at FROM hub_alert_notification WHERE id IN ("
                + InsightRows.marks(ids.size()) + ")";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Notification(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw StorageUnavailableException.of("alert notifications", e);
        }
        return out;
    }

    private static void save(Connection c, Alert a, boolean exists) throws SQLException {
        if (exists) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setString(1, a.status());
                ps.setString(2, a.severity());
                ps.setDouble(3, a.value());
                setLong(ps, 4, a.numerator());
                setLong(ps, 5, a.denominator());
                ps.setLong(6, a.evaluatedAt());
                ps.setLong(7, a.notifiedAt());
                setLong(ps, 8, a.belowSince());
                setLong(ps, 9, a.resolvedAt());
                ps.setString(10, a.id());
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            Object[] values = {a.id(), a.rule(), a.dedupKey(), a.group(), a.status(), a.severity(), a.value(),
                    a.numerator(), a.denominator(), a.warn(), a.critical(), a.window(), a.startedAt(),
                    a.evaluatedAt(), a.notifiedAt(), a.belowSince(), a.resolvedAt()};
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    ps.setNull(i + 1, i == 11 ? Types.VARCHAR : Types.BIGINT);   // alert_window, else a time or count
                } else {
                    ps.setObject(i + 1, values[i]);
                }
            }
            ps.executeUpdate();
        }
    }

    private static void insertNotification(Connection c, Change change, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
            ps.setString(1, change.notificationId());
            ps.setString(2, change.alert().id());
            ps.setString(3, change.action());
            ps.setString(4, change.body());
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    @FunctionalInterface
    private interface AlertSink {
        void accept(Alert a);
    }

    private static void select(Connection c, String sql, List<String> args, AlertSink out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.accept(new Alert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getDouble(7), longOrNull(rs, 8), longOrNull(rs, 9),
                            rs.getDouble(10), rs.getDouble(11), rs.getString(12), rs.getLong(13), rs.getLong(14),
                            rs.getLong(15), longOrNull(rs, 16), longOrNull(rs, 17)));
                }
            }
        }
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
