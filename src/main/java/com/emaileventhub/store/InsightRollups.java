package com.emaileventhub.store;

import com.emaileventhub.event.Sends;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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

    private final SummedRows rows = new SummedRows("insight_rollup",
            List.of("grain", "period", "esp", "recipient_domain", "mailbox_provider", "tagset"), List.of(), InsightCounts.NAMES);

    /** Adds (sign 1) or takes away (sign -1) one unit's counts at its time and dimensions. */
    void add(long at, String esp, String domain, String tagset, long[] counts, int sign) {
        String d = domain == null ? "" : domain;
        String provider = domain == null ? "" : Sends.mailboxProvider(domain);
        long quarter = quarter(at);
        long day = day(at);
        rows.add(List.of(QUARTER_BY_DOMAIN, quarter, esp, d, provider, tagset), List.of(), counts, sign);
        rows.add(List.of(DAY_BY_DOMAIN, day, esp, d, provider, tagset), List.of(), counts, sign);
        rows.add(List.of(QUARTER_BY_PROVIDER, quarter, esp, "", provider, tagset), List.of(), counts, sign);
        rows.add(List.of(DAY_BY_PROVIDER, day, esp, "", provider, tagset), List.of(), counts, sign);
    }

    static long quarter(long at) {
        return Math.floorDiv(at, QUARTER_MS) * QUARTER_MS;
    }

    static long day(long at) {
        return Math.floorDiv(at, DAY_MS) * DAY_MS;
    }

    void write(Connection c, Database.Dialect dialect) throws SQLException {
        rows.write(c, dialect);
    }
}
