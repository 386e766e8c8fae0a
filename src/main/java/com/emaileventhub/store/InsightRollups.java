package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    private static final String H2_UPSERT = "MERGE INTO insight_rollup t USING (VALUES (" + PLACEHOLDERS + ")) s("
            + COLUMNS + ") ON t.grain = s.grain AND t.period = s.period AND t.esp = s.esp "
            + "AND t.recipient_domain = s.recipient_domain AND t.mailbox_provider = s.mailbox_provider "
            + "AND t.tagset = s.tagset WHEN MATCHED THEN UPDATE SET " + InsightCounts.NAMES.stream()
            .map(n -> n + " = t." + n + " + s." + n).collect(Collectors.joining(", "))
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (" + Arrays.stream(COLUMNS.split(", "))
            .map(n -> "s." + n).collect(Collectors.joining(", ")) + ")";

    private record Key(int grain, long period, String esp, String domain, String provider, String tagset) {
    }

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
        try (PreparedStatement ps = c.prepareStatement(dialect == Database.Dialect.POSTGRESQL ? PG_UPSERT : H2_UPSERT)) {
            int rows = 0;
            for (Map.Entry<Key, long[]> e : deltas.entrySet()) {
                if (Arrays.stream(e.getValue()).allMatch(v -> v == 0)) {
                    continue;   // a send that moved nothing in this row
                }
                Key k = e.getKey();
                ps.setInt(1, k.grain());
                ps.setLong(2, k.period());
                ps.setString(3, k.esp());
                ps.setString(4, k.domain());
                ps.setString(5, k.provider());
                ps.setString(6, k.tagset());
                for (int i = 0; i < InsightCounts.SIZE; i++) {
                    ps.setLong(7 + i, e.getValue()[i]);
                }
                ps.addBatch();
                rows++;
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
    }
}
