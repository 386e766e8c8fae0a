import java.io.*;
import java.nio.file.*;
import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * kill -9 of a process writing H2 the way the hub does, without the hub (how to run it: README.md beside it).
 *   driver: java -cp CLASSES:h2.jar Repro drive DIR CYCLES URLSETTINGS COMPACT(0/1)
 *   child:  java -cp CLASSES:h2.jar Repro run DIR URLSETTINGS COMPACT   (started by the driver)
 * The child runs 4 writer threads (event + outbox row in one transaction, ack line appended after commit),
 * 2 claimer threads (outbox status changes, which move index keys), and optionally a compaction thread as
 * store/H2Housekeeping does it. The driver kills it at a random moment, opens the file (recovery), checks
 * invariants, closes it cleanly, and goes again on the same file (on a fresh file after a failure). The checks:
 * every acknowledged event is stored, events and outbox rows come in pairs, every index of a table finds the same
 * rows, and eight sessions with transactions open at once (transaction numbers 1 to 8) see the same rows: a value
 * H2 wrote without its undo entry is seen only by the new transaction that has the old transaction's number.
 */
public class Repro {
    static final int KILL_MIN = Integer.getInteger("kill.min", 1000);
    static final int KILL_SPREAD = Integer.getInteger("kill.spread", 5000);
    /** REPRO_LOCK=1: one writing transaction at a time, from its first write to its commit (as store/H2SingleWriter). */
    static final ReentrantLock WRITE = new ReentrantLock(true);
    static final boolean LOCK = "1".equals(System.getenv("REPRO_LOCK"));

    static void lock() {
        if (LOCK) WRITE.lock();
    }

    static void unlock() {
        if (LOCK && WRITE.isHeldByCurrentThread()) WRITE.unlock();
    }

    static String url(String dir, String settings) {
        return "jdbc:h2:file:" + dir + "/db" + settings;
    }

    public static void main(String[] a) throws Exception {
        if (a[0].equals("run")) {
            run(a[1], a[2], a[3].equals("1"));
        } else {
            drive(a[1], Integer.parseInt(a[2]), a[3], a[4], a.length > 5 ? a[5] : System.getProperty("java.class.path"));
        }
    }

    static void drive(String dir, int cycles, String settings, String compact, String cp) throws Exception {
        Files.createDirectories(Path.of(dir));
        Random rnd = new Random();
        int failures = 0;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", cp, "Repro", "run", dir, settings, compact)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir + "/child.log")));
            Process p = pb.start();
            Path acks = Path.of(dir, "acks");
            // wait until the child writes, then a random moment later
            long t0 = System.currentTimeMillis();
            long before = Files.exists(acks) ? Files.size(acks) : 0;
            while ((Files.exists(acks) ? Files.size(acks) : 0) == before && p.isAlive()
                    && System.currentTimeMillis() - t0 < 60000) {
                Thread.sleep(20);
            }
            Thread.sleep(KILL_MIN + rnd.nextInt(KILL_SPREAD));
            p.destroyForcibly();
            p.waitFor();
            Files.copy(Path.of(dir, "db.mv.db"), Path.of(dir, "killed.mv.db"), StandardCopyOption.REPLACE_EXISTING);
            String problem;
            try {
                problem = check(dir, settings);
            } catch (Exception e) {
                problem = "open/check failed: " + e;
            }
            if (problem != null) {
                failures++;
                Files.copy(Path.of(dir, "killed.mv.db"), Path.of(dir, "failed-" + cycle + ".mv.db"),
                        StandardCopyOption.REPLACE_EXISTING);
                System.out.println("cycle " + cycle + " FAILED: " + problem);
                // start again on a fresh file: a broken file only repeats its failure
                Files.deleteIfExists(Path.of(dir, "db.mv.db"));
                Files.deleteIfExists(acks);
            } else {
                System.out.println("cycle " + cycle + " ok");
            }
        }
        System.out.println("RESULT " + failures + " failures in " + cycles + " cycles");
    }

    static String check(String dir, String settings) throws Exception {
        Set<String> acked = new HashSet<>();
        Path acks = Path.of(dir, "acks");
        if (Files.exists(acks)) {
            for (String line : Files.readAllLines(acks)) {
                if (line.endsWith(";")) {
                    acked.addAll(Arrays.asList(line.substring(0, line.length() - 1).split(",")));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(dir, settings), "sa", ""); Statement s = c.createStatement()) {
            Set<String> events = strings(s, "SELECT id FROM hub_event");
            String pk = strings(s, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'HUB_DELIVERY' "
                    + "AND INDEX_TYPE_NAME = 'PRIMARY KEY'").iterator().next();
            Set<String> byPk = strings(s, "SELECT event_id FROM hub_delivery USE INDEX (" + pk + ") WHERE destination = 'archive'");
            Set<String> scan = strings(s, "SELECT event_id FROM hub_delivery USE INDEX () WHERE destination = 'archive'");
            Set<String> due = strings(s, "SELECT event_id FROM hub_delivery USE INDEX (hub_delivery_due) WHERE destination = 'archive'");
            Set<String> listing = strings(s, "SELECT event_id FROM hub_delivery USE INDEX (hub_delivery_listing) WHERE destination = 'archive'");
            Set<String> evByMsg = strings(s, "SELECT id FROM hub_event USE INDEX (hub_event_message) WHERE message_id > ''");
            Set<String> lost = new TreeSet<>(acked);
            lost.removeAll(events);
            if (!lost.isEmpty()) {
                Set<String> lostWithOutbox = new TreeSet<>(lost);
                lostWithOutbox.retainAll(scan);
                problems.add(lost.size() + " acked events lost (" + lostWithOutbox.size() + " of them with outbox row) e.g. "
                        + lost.stream().limit(5).toList());
            }
            Set<String> noOutbox = new TreeSet<>(events);
            noOutbox.removeAll(scan);
            if (!noOutbox.isEmpty()) {
                problems.add(noOutbox.size() + " events without outbox row e.g. " + noOutbox.stream().limit(5).toList());
            }
            Set<String> noEvent = new TreeSet<>(scan);
            noEvent.removeAll(events);
            if (!noEvent.isEmpty()) {
                problems.add(noEvent.size() + " outbox rows without event e.g. " + noEvent.stream().limit(5).toList());
            }
            if (!byPk.equals(scan) || !due.equals(scan) || !listing.equals(scan)) {
                problems.add("outbox indexes disagree: scan " + scan.size() + " pk " + byPk.size() + " due " + due.size()
                        + " listing " + listing.size());
            }
            if (!evByMsg.equals(events)) {
                problems.add("event indexes disagree: scan " + events.size() + " message " + evByMsg.size());
            }
        }
        // values a store wrote without their undo log entries read as rolled back, except by a transaction that
        // has the same id: 8 sessions with transactions open at once (ids 1..8) each read everything
        String[] qs = {"SELECT id FROM hub_event USE INDEX ()", "SELECT id FROM hub_event USE INDEX (hub_event_message) WHERE message_id > ''",
                "SELECT event_id FROM hub_delivery USE INDEX () WHERE destination = 'archive'",
                "SELECT event_id FROM hub_delivery USE INDEX (hub_delivery_due) WHERE destination = 'archive'",
                "SELECT event_id || status FROM hub_delivery USE INDEX () WHERE destination = 'archive'",
                "SELECT event_id || status FROM hub_delivery USE INDEX (hub_delivery_listing) WHERE destination = 'archive'"};
        List<Connection> sessions = new ArrayList<>();
        try {
            List<List<Set<String>>> seen = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Connection c = DriverManager.getConnection(url(dir, settings), "sa", "");
                sessions.add(c);
                c.setAutoCommit(false);
                List<Set<String>> r = new ArrayList<>();
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT COUNT(*) FROM counter");   // opens this session's transaction, kept until rollback
                    for (String q : qs) r.add(strings(s, q));
                }
                seen.add(r);
            }
            StringBuilder diff = new StringBuilder();
            for (int i = 1; i < 8; i++) {
                for (int q = 0; q < qs.length; q++) {
                    if (!seen.get(i).get(q).equals(seen.get(0).get(q))) {
                        Set<String> extra = new TreeSet<>(seen.get(i).get(q)); extra.removeAll(seen.get(0).get(q));
                        Set<String> missing = new TreeSet<>(seen.get(0).get(q)); missing.removeAll(seen.get(i).get(q));
                        diff.append(" [session ").append(i).append(" q").append(q).append(" +").append(extra.size())
                                .append(" -").append(missing.size()).append(" e.g. ").append(extra.stream().limit(2).toList())
                                .append(missing.stream().limit(2).toList()).append("]");
                    }
                }
            }
            if (diff.length() > 0) {
                problems.add("sessions disagree (orphan values adopted by a reused transaction id):" + diff);
            }
        } finally {
            for (Connection c : sessions) {
                c.rollback();
                c.close();
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    static Set<String> strings(Statement s, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void run(String dir, String settings, boolean compact) throws Exception {
        String url = url(dir, settings);
        Connection admin = DriverManager.getConnection(url, "sa", "");
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS hub_event (id VARCHAR(32) PRIMARY KEY, esp VARCHAR(64) NOT NULL, "
                    + "recipient VARCHAR(512), message_id VARCHAR(1024), occurred_at BIGINT NOT NULL, "
                    + "received_at BIGINT NOT NULL, body VARCHAR NOT NULL, tx BIGINT, seq BIGINT)");
            s.execute("CREATE INDEX IF NOT EXISTS hub_event_message ON hub_event (message_id, occurred_at)");
            s.execute("CREATE INDEX IF NOT EXISTS hub_event_recipient ON hub_event (recipient, occurred_at)");
            s.execute("CREATE INDEX IF NOT EXISTS hub_event_received ON hub_event (received_at)");
            s.execute("CREATE INDEX IF NOT EXISTS hub_event_position ON hub_event (tx, seq)");
            s.execute("CREATE TABLE IF NOT EXISTS hub_delivery (destination VARCHAR(64) NOT NULL, event_id VARCHAR(32) NOT NULL, "
                    + "status VARCHAR(16) NOT NULL, attempts INT NOT NULL, next_attempt_at BIGINT NOT NULL, "
                    + "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, lease_owner VARCHAR(128), lease_until BIGINT, "
                    + "CONSTRAINT PK_D PRIMARY KEY (destination, event_id))");
            s.execute("CREATE INDEX IF NOT EXISTS hub_delivery_due ON hub_delivery (destination, status, next_attempt_at)");
            s.execute("CREATE INDEX IF NOT EXISTS hub_delivery_listing ON hub_delivery (destination, status, created_at, event_id)");
            s.execute("CREATE TABLE IF NOT EXISTS counter (name VARCHAR PRIMARY KEY, n BIGINT)");
            s.execute("MERGE INTO counter KEY(name) VALUES ('figures', 0)");
        }
        long pid = ProcessHandle.current().pid();
        AtomicLong seq = new AtomicLong();
        FileOutputStream ackOut = new FileOutputStream(dir + "/acks", true);
        ExecutorService pool = Executors.newCachedThreadPool();
        String pad = "x".repeat(600);
        for (int w = 0; w < 4; w++) {
            int writer = w;
            pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    c.setAutoCommit(false);
                    PreparedStatement ev = c.prepareStatement("INSERT INTO hub_event VALUES (?, 'postmark', 'r@x', ?, ?, ?, ?, 0, ?)");
                    PreparedStatement ob = c.prepareStatement("INSERT INTO hub_delivery VALUES ('archive', ?, 'pending', 0, ?, ?, ?, NULL, NULL)");
                    Random r = new Random();
                    for (long i = 0; ; i++) {
                        int n = 1 + r.nextInt(20);
                        List<String> ids = new ArrayList<>();
                        long now = System.currentTimeMillis();
                        for (int k = 0; k < n; k++) {
                            String id = pid + "-" + writer + "-" + i + "-" + k;
                            ids.add(id);
                            ev.setString(1, id);
                            ev.setString(2, "msg-" + id);
                            ev.setLong(3, now);
                            ev.setLong(4, now);
                            ev.setString(5, "{\"id\":\"" + id + "\",\"pad\":\"" + pad + "\"}");
                            ev.setLong(6, seq.incrementAndGet());
                            ev.addBatch();
                        }
                        lock();
                        ev.executeBatch();
                        for (String id : ids) {
                            ob.setString(1, id);
                            ob.setLong(2, now);
                            ob.setLong(3, now);
                            ob.setLong(4, now);
                            ob.addBatch();
                        }
                        ob.executeBatch();
                        c.commit();
                        unlock();
                        byte[] line = (String.join(",", ids) + ";\n").getBytes();
                        synchronized (ackOut) {
                            ackOut.write(line);
                        }
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                }
                return null;
            });
        }
        for (int w = 0; w < 2; w++) {
            pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    c.setAutoCommit(false);
                    PreparedStatement sel = c.prepareStatement("SELECT event_id FROM hub_delivery WHERE destination = 'archive' "
                            + "AND status IN ('pending', 'leased') AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 50");
                    PreparedStatement lease = c.prepareStatement("UPDATE hub_delivery SET status = 'leased', lease_owner = 'me', "
                            + "lease_until = ?, next_attempt_at = ?, attempts = attempts + 1, updated_at = ? "
                            + "WHERE destination = 'archive' AND event_id = ? AND next_attempt_at <= ?");
                    PreparedStatement done = c.prepareStatement("UPDATE hub_delivery SET status = 'delivered', "
                            + "lease_owner = NULL, updated_at = ? WHERE destination = 'archive' AND event_id = ?");
                    PreparedStatement fig = c.prepareStatement("UPDATE counter SET n = n + ? WHERE name = 'figures'");
                    Random r = new Random();
                    while (true) {
                        long now = System.currentTimeMillis();
                        List<String> ids = new ArrayList<>();
                        sel.setLong(1, now);
                        try (ResultSet rs = sel.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getString(1));
                            }
                        }
                        for (String id : ids) {
                            lease.setLong(1, now + 30000);
                            lease.setLong(2, now + 30000);
                            lease.setLong(3, now);
                            lease.setString(4, id);
                            lease.setLong(5, now);
                            lease.addBatch();
                        }
                        lock();
                        lease.executeBatch();
                        c.commit();
                        unlock();
                        Thread.sleep(r.nextInt(20));
                        for (String id : ids) {
                            done.setLong(1, now);
                            done.setString(2, id);
                            done.addBatch();
                        }
                        lock();
                        done.executeBatch();
                        fig.setLong(1, ids.size());
                        fig.executeUpdate();
                        c.commit();
                        unlock();
                        if (ids.isEmpty()) {
                            Thread.sleep(20);
                        }
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                }
                return null;
            });
        }
        if (compact) {
            pool.submit(() -> {
                try {
                    while (true) {
                        Thread.sleep(1000);
                        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
                            MVStore store = session.getDatabase().getStore().getMvStore();
                            long deadline = System.nanoTime() + 250_000_000L;
                            while (System.nanoTime() < deadline && store.compact(90, 4 * 1024 * 1024)) {
                            }
                            store.sync();
                        }
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                }
                return null;
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
