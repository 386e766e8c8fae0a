package com.emaileventhub.destination.crm;

import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.StorageUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads a recipient's engagement from the journal (hub_event), not from the batch in hand: counts
 * and latest times are then the same whatever order, duplication or replay the events came in, so
 * a CRM write of absolute values is idempotent.
 */
final class JournalEngagement {
    private static final int IN_CHUNK = 500;
    private static final String AGGREGATES =
            "SELECT recipient, type, bounce_type, COUNT(*), MAX(occurred_at) FROM hub_event WHERE recipient IN (%s) "
                    + "GROUP BY recipient, type, bounce_type";
    // opt-out history and hard bounces are rare, so reading them row by row (with the body for the reason) is cheap
    private static final String HISTORY =
            "SELECT recipient, type, occurred_at, body FROM hub_event WHERE recipient IN (%s) "
                    + "AND (type IN ('complained', 'unsubscribed', 'subscribed') OR (type = 'bounced' AND bounce_type = 'hard')) "
                    + "ORDER BY recipient, occurred_at";

    private final DataSource dataSource;
    private final Set<String> lastEventTypes;

    JournalEngagement(DataSource dataSource, Set<String> lastEventTypes) {
        this.dataSource = dataSource;
        this.lastEventTypes = lastEventTypes;
    }

    Map<String, Engagement> read(Collection<String> recipients) {
        Map<String, Acc> acc = new HashMap<>();
        List<String> all = new ArrayList<>(recipients);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                aggregates(c, chunk, acc);
                history(c, chunk, acc);
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("reading engagement from the journal failed: " + e.getMessage(), e);
        }
        Map<String, Engagement> out = new HashMap<>();
        acc.forEach((recipient, a) -> out.put(recipient, a.toEngagement()));
        return out;
    }

    private void aggregates(Connection c, List<String> recipients, Map<String, Acc> acc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(AGGREGATES, placeholders(recipients.size())))) {
            bind(ps, recipients);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Acc a = acc.computeIfAbsent(rs.getString(1), k -> new Acc());
                    String type = rs.getString(2);
                    long count = rs.getLong(4);
                    Instant latest = Instant.ofEpochMilli(rs.getLong(5));
                    if (EventType.OPENED.wireName().equals(type)) {
                        a.opens += count;
                        a.lastOpened = later(a.lastOpened, latest);
                    } else if (EventType.CLICKED.wireName().equals(type)) {
                        a.clicks += count;
                        a.lastClicked = later(a.lastClicked, latest);
                    }
                    // ties go to the type listed first in hub.crm.last-event-types (a stable, documented choice)
                    if (lastEventTypes.contains(type) && (a.lastEventAt == null || latest.isAfter(a.lastEventAt))) {
                        a.lastEvent = type;
                        a.lastEventAt = latest;
                    }
                }
            }
        }
    }

    private void history(Connection c, List<String> recipients, Map<String, Acc> acc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(HISTORY, placeholders(recipients.size())))) {
            bind(ps, recipients);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Acc a = acc.computeIfAbsent(rs.getString(1), k -> new Acc());
                    a.history.add(new Step(EventType.fromWire(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getString(4)));
                }
            }
        }
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private record Step(EventType type, Instant at, String body) {
    }

    private static final class Acc {
        long opens;
        long clicks;
        Instant lastOpened;
        Instant lastClicked;
        String lastEvent;
        Instant lastEventAt;
        final List<Step> history = new ArrayList<>();

        Engagement toEngagement() {
            // occurred_at order; on a tie the resubscribe is applied first, so the opt-out wins (the safe side)
            history.sort((x, y) -> {
                int byTime = x.at().compareTo(y.at());
                return byTime != 0 ? byTime : Boolean.compare(x.type() != EventType.SUBSCRIBED, y.type() != EventType.SUBSCRIBED);
            });
            Boolean optedOut = null;
            boolean complained = false;
            boolean unsubscribed = false;
            Step bounce = null;
            for (Step s : history) {
                switch (s.type()) {
                    case COMPLAINED -> {
                        complained = true;
                        optedOut = true;
                    }
                    case UNSUBSCRIBED -> {
                        unsubscribed = true;
                        optedOut = true;
                    }
                    case SUBSCRIBED -> {
                        // a resubscribe lifts only an opt-out the hub set for an unsubscribe, never a complaint
                        if (unsubscribed && !complained) {
                            unsubscribed = false;
                            optedOut = false;
                        }
                    }
                    case BOUNCED -> bounce = s;
                    default -> {
                    }
                }
            }
            return new Engagement(opens, lastOpened, clicks, lastClicked, lastEvent, lastEventAt,
                    bounce == null ? null : bounce.at(), bounce == null ? null : reason(bounce.body()), optedOut);
        }

        private static String reason(String body) {
            try {
                return Json.text(Json.MAPPER.readTree(body), "reason");
            } catch (IOException e) {
                return null;
            }
        }
    }
}
