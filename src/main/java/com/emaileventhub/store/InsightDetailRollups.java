package com.emaileventhub.store;

import com.emaileventhub.event.EventIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The rows of insight_link_rollup and insight_bounce_rollup a batch changes: a send's links and bounce reasons
 * counted at its quarter hour and UTC day, under its ESP and tag set (links) or recipient domain (bounce reasons),
 * and once more at its UTC day under its ESP alone, for the pages that filter by neither (the dashboard's first
 * screen: 90 days of links read 800 rows a day per tag set and URL instead of 160 on the bench history).
 * A send whose details or place change is taken away as it was and added as it is now.
 */
final class InsightDetailRollups {
    static final int QUARTER = 1;
    static final int DAY = 2;
    /** UTC days, every tag set (links) or recipient domain (bounce reasons) together: that column holds ''. */
    static final int DAY_ALL = 3;

    private final SummedRows links = new SummedRows("insight_link_rollup",
            List.of("grain", "period", "esp", "tagset", "url_key"), List.of("url"), List.of("clicks", "clicked", "machine_clicks"));
    private final SummedRows bounces = new SummedRows("insight_bounce_rollup",
            List.of("grain", "period", "esp", "recipient_domain", "reason_key", "bounce_type"), List.of("reason"), List.of("sends"));

    /** Adds (sign 1) or takes away (sign -1) the details of a send at its time, tag set and domain. */
    void add(SendState send, String tagset, SendDetails details, int sign) {
        String domain = send.domain() == null ? "" : send.domain();
        long day = InsightRollups.day(send.sentAt);
        add(QUARTER, InsightRollups.quarter(send.sentAt), send.esp, tagset, domain, details, sign);
        add(DAY, day, send.esp, tagset, domain, details, sign);
        add(DAY_ALL, day, send.esp, "", "", details, sign);
    }

    private void add(int grain, long period, String esp, String tagset, String domain, SendDetails details, int sign) {
        details.clicks.forEach((url, n) -> links.add(List.of(grain, period, esp, tagset, EventIds.hash(url)),
                List.of(url), new long[] {n[0], n[0] > 0 ? 1 : 0, n[1]}, sign));
        details.bounces.forEach((key, reason) -> bounces.add(List.of(grain, period, esp, domain, key.get(0), key.get(1)),
                Collections.singletonList(reason), new long[] {1}, sign));
    }

    void write(Connection c, Database.Dialect dialect) throws SQLException {
        links.write(c, dialect);
        bounces.write(c, dialect);
    }
}
