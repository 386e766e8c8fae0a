package com.emaileventhub.bench;

import com.emaileventhub.Hub;
import com.emaileventhub.store.InsightStore;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * A history of N sends that outlives one bench run (BENCH_KEEP=1): the PostgreSQL schema kept_history, or the H2
 * file target/bench-history/hub. Filling 5 million sends takes tens of minutes, so the stats and dashboard benches
 * share one fill and time their queries later, on a quiet machine. The history's "now" is the day it was filled.
 */
final class KeptHistory {
    private static final String SCHEMA = "kept_history";   // not bench_*: .ci/run drops those

    private KeptHistory() {
    }

    /** The kept database's URL, or null when BENCH_KEEP is not set. */
    static String url(String kind) {
        if (System.getenv("BENCH_KEEP") == null) {
            return null;
        }
        if (!kind.equals("postgresql")) {
            return "jdbc:h2:file:" + Path.of("target", "bench-history", "hub").toAbsolutePath() + ";WRITE_DELAY=0";
        }
        try (Connection c = DriverManager.getConnection(TestDatabases.PG_ADMIN_URL, TestDatabases.PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 (database test) is needed", e);
        }
        return TestDatabases.PG_ADMIN_URL + "?currentSchema=" + SCHEMA;
    }

    /** Applies sends until the kept figures hold at least N (sends already there are kept, not applied again). */
    static void ensure(Hub hub, String kind, int sends) {
        long stored = Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM insight_send");
        if (stored >= sends) {
            System.out.printf("BENCH history %s: %d sends already stored, reused%n", kind, stored);
            return;
        }
        if (stored > 0) {
            throw new IllegalStateException("the kept history holds " + stored + " sends, fewer than " + sends
                    + ": drop it (schema " + SCHEMA + " or target/bench-history) and fill it again");
        }
        hub.delivery().engine().stop();   // nothing is queued; the benches only read the figures
        long start = System.nanoTime();
        long events = History.apply(hub.context().getRegistry().lookupByNameAndType("insightStore", InsightStore.class),
                sends, Instant.now().truncatedTo(ChronoUnit.MINUTES), new Random(42));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BENCH history %s: %d sends (%d events) applied in %.1f s (%.0f sends/s)%n", kind, sends, events,
                seconds, sends / seconds);
    }
}
