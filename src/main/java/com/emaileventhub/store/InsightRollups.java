package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rollup rows (insight_rollup) a batch changes, summed per row key and then added to the stored rows in
 * one statement batch. Each unit (a send, or an event of no send) lands in one row of each grain.
 */
public final class InsightRollups {
    public static final int QUARTER_BY_DOMAIN = 1;
    public static final int DAY_BY_DOMAIN = 2;
    public static final int QUARTER_BY_PROVIDER = 3;
    public static final int DAY_BY_PROVIDER = 4;
    public static final long QUARTER_MS = 15 * 60_000L;
    public static final long DAY_MS = 86_400_000L;
    private static final String KEYS = "grain, period, esp, recipient_domain, mailbox_provider, tagset";
    private static final String COLUMNS = KEYS + ", " + String.join(", ", InsightCounts.NAMES);
    private static final String PLACEHOLDERS = "?" + ", ?".repeat(6 + InsightCounts.SIZE - 1);
    private static final String PG_UPSERT = "INSERT INTO insight_rollup (" + COLUMNS + ") VALUES (" + PLACEHOLDERS
            + ") ON CONFLICT (" + KEYS + ") DO UPDATE SET " + InsightCounts.NAMES.stream()
            .map(n -> n + " = insight_rollup." + n + " + EXCLUDED." + n).collect(Collectors.joining(", "));
    /** H2: add to the row where it exists, then insert the rows that did not (this transaction holds them). */
    private static final String H2_ADD = "UPDATE insight_rollup SET " + InsightCounts.NAMES.stream()
            .map(n -> n + " = " + n + " + ?").collect(Collectors.joining(", "))
            + " WHERE grain = ? AND period = ? AND esp = ? AND recipient_domain = ? AND mailbox_provider = ? AND tagset = ?";
    private static final String H2_INSERT = "INSERT INTO insight_rollup (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")";

    private record Key(int grain, long period, String esp, String domain, String provider, String tagset) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::grain).thenComparingLong(Key::period)
            .thenComparing(Key::esp).thenComparing(Key::domain).thenComparing(Key::provider).thenComparing(Key::tagset);

    private final Map<Key, long[]> deltas = new LinkedHashMap<>();

    /** Adds (sign 1) or takes away (sign -1) one unit's counts at its time and dimensions. */
    void add(long at, String esp, String domain, String tagset, long[] counts, int sign) {
        String d = domain == null ? "" : domain;
        String provider = domain == null ? "" : Sends.mailboxProvider(domain);
        long quarter = Math.floorDiv(at, QUARTER_MS) * QUARTER_MS;
        long day = Math.floorDiv(at, DAY_MS) * DAY_MS;
        add(new Key(QUARTER_BY_DOMAIN, quarter, esp, d, provider, tagset), counts, sign);
        add(new Key(DAY_BY_DOMAIN, day, esp, d, provider, tagset), counts, sign);
        add(new Key(QUARTER_BY_PROVIDER, quarter, esp, "", provider, tagset), counts, sign);
        add(new Key(DAY_BY_PROVIDER, day, esp, "", provider, tagset), counts, sign);
    }

    private void add(Key key, long[] counts, int sign) {
        long[] sum = deltas.computeIfAbsent(key, k -> new long[InsightCounts.SIZE]);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += sign * counts[i];
        }
    }

    void write(Connection c, Database.Dialect dialect) throws SQLException {
        List<Map.Entry<Key, long[]>> rows = deltas.entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(v -> v != 0))   // a send that moved nothing here
                .sorted(Map.Entry.comparingByKey(ORDER))   // one lock order for every writer
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            Upserts.batch(c, PG_UPSERT, rows, (ps, e) -> bindRow(ps, 1, 7, e));
            return;
        }
        int[] updated = Upserts.batch(c, H2_ADD, rows, (ps, e) -> bindRow(ps, InsightCounts.SIZE + 1, 1, e));
        Upserts.batch(c, H2_INSERT, Upserts.missing(rows, updated), (ps, e) -> bindRow(ps, 1, 7, e));
    }

    private static void bindRow(PreparedStatement ps, int keyAt, int countsAt, Map.Entry<Key, long[]> e)
            throws SQLException {
        Key k = e.getKey();
        ps.setInt(keyAt, k.grain());
        ps.setLong(keyAt + 1, k.period());
        ps.setString(keyAt + 2, k.esp());
        ps.setString(keyAt + 3, k.domain());
        ps.setString(keyAt + 4, k.provider());
        ps.setString(keyAt + 5, k.tagset());
        for (int i = 0; i < InsightCounts.SIZE; i++) {
            ps.setLong(countsAt + i, e.getValue()[i]);
        }
    }
}
