package com.emaileventhub.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * One writing transaction at a time on an embedded H2 file, so that H2 never writes its file while another transaction
 * is half-way through its changes. H2 writes the version of each table and index in turn while other transactions go
 * on changing them (H2 issue #2080, open): a version written while a commit or a rollback was under way can hold one
 * transaction's rows in one index and not in another, or its outbox rows without its journal rows. The next write
 * repairs that, so only a process killed right after such a write keeps it, and after the restart a new transaction
 * that gets the same transaction number takes those half-undone rows for its own.
 * <p>
 * A connection takes its database's writer lock at its first statement that can change data (anything but a query, or
 * a query FOR UPDATE) and keeps it until its transaction ends: at once in auto-commit, else at commit, rollback or
 * close. Queries never wait. A connection that cannot get the lock within the pool's connection timeout fails as if
 * the pool had none to give. Other URLs (PostgreSQL, in-memory and server H2) are left as they are.
 * <p>
 * Writers wait for the one holding the lock, intake's group commits before the rest (see {@link WriterLock}), so one
 * long transaction is every waiting request's latency. With this class's
 * logger at DEBUG, each transaction that held the lock for {@value #LONG_HOLD_MILLIS} ms or more is logged with how
 * long it waited for the lock, its thread and its first writing statement: who the writers queued behind.
 */
final class H2SingleWriter implements DataSource {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(H2SingleWriter.class);
    static final long LONG_HOLD_MILLIS = 20;
    private static final Map<Path, WriterLock> LOCKS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Boolean> INTAKE = ThreadLocal.withInitial(() -> false);
    private static final Pattern QUERY = Pattern.compile("^[\\s(]*(SELECT|WITH|VALUES|TABLE|EXPLAIN|SHOW)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern FOR_UPDATE = Pattern.compile("\\bFOR\\s+UPDATE\\b", Pattern.CASE_INSENSITIVE);
    private static final Set<String> EXECUTE = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch", "executeQuery");

    private final DataSource delegate;
    private final WriterLock lock;
    private final long timeoutMillis;

    private H2SingleWriter(DataSource delegate, WriterLock lock, long timeoutMillis) {
        this.delegate = delegate;
        this.lock = lock;
        this.timeoutMillis = timeoutMillis;
    }

    /** {@code dataSource} itself, or for an embedded H2 file URL a data source whose connections share one writer lock. */
    static DataSource wrap(String url, DataSource dataSource, long timeoutMillis) {
        Path file = file(url);
        if (file == null) {
            return dataSource;
        }
        return new H2SingleWriter(dataSource, lockOf(file), timeoutMillis);
    }

    /** The writer lock of an embedded H2 file, shared by every data source of that file in this process. */
    static WriterLock lockOf(Path file) {
        return LOCKS.computeIfAbsent(file, f -> new WriterLock());
    }

    /** The database file an embedded H2 URL names (the same file for every spelling of it), else null. */
    static Path file(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!H2Durability.isPersistentH2(url) || lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
            return null;
        }
        String name = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (name.regionMatches(true, 0, "file:", 0, "file:".length())) {
            name = name.substring("file:".length());
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Path.of(name).toAbsolutePath().normalize();
    }

    /** True for SQL that can change data: anything but a query, or a query that locks rows. */
    static boolean writes(String sql) {
        return sql == null || !QUERY.matcher(sql).matches() || FOR_UPDATE.matcher(sql).find();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new Guard(delegate.getConnection()).proxy;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return new Guard(delegate.getConnection(username, password)).proxy;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    /** A pooled connection that holds the writer lock from its first write to the end of that transaction. */
    private final class Guard implements InvocationHandler {
        private final Connection connection;
        private final Connection proxy;
        private volatile boolean holding;   // a connection's transaction may end on another thread
        private volatile long heldSince;     // System.nanoTime() when the lock was taken; DEBUG only
        private volatile long waitedNanos;
        private volatile String heldFor;     // the transaction's first writing statement; DEBUG only

        Guard(Connection connection) {
            this.connection = connection;
            this.proxy = (Connection) Proxy.newProxyInstance(H2SingleWriter.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, this);
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            boolean ends = args == null && (name.equals("commit") || name.equals("rollback") || name.equals("close"))
                    || name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]);
            try {
                Object result = call(connection, method, args);
                if (result instanceof Statement statement) {
                    return statement(statement, args != null && args[0] instanceof String sql ? sql : null);
                }
                return result;
            } finally {
                if (ends) {
                    release();
                }
            }
        }

        private Object statement(Statement statement, String prepared) {
            Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                    : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
            return Proxy.newProxyInstance(H2SingleWriter.class.getClassLoader(), new Class<?>[] {type},
                    (self, method, args) -> {
                        String name = method.getName();
                        if (name.equals("getConnection")) {
                            return proxy;
                        }
                        if (!EXECUTE.contains(name)) {
                            return call(statement, method, args);
                        }
                        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : prepared;
                        if (name.startsWith("executeUpdate") || name.contains("Batch") || name.contains("Large")
                                || writes(sql)) {
                            acquire(sql);
                        }
                        try {
                            return call(statement, method, args);
                        } finally {
                            if (autoCommit()) {
                                release();
                            }
                        }
                    });
        }

        private boolean autoCommit() {
            try {
                return connection.getAutoCommit();
            } catch (SQLException broken) {
                return true;   // a broken connection's transaction is gone with it
            }
        }

        private void acquire(String sql) throws SQLException {
            if (holding) {
                return;
            }
            boolean debug = LOG.isDebugEnabled();
            long asked = debug ? System.nanoTime() : 0;
            try {
                if (!lock.acquire(timeoutMillis)) {
                    throw new SQLTransientConnectionException("H2 takes one writing transaction at a time and another "
                            + "one held the database for more than " + timeoutMillis + " ms", "HYT00");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("interrupted while waiting to write to H2", "HYT00", e);
            }
            holding = true;
            if (debug) {
                heldSince = System.nanoTime();
                waitedNanos = heldSince - asked;
                heldFor = sql;
            }
        }

        private void release() {
            if (holding) {
                holding = false;
                lock.release();
                if (heldSince != 0) {
                    long held = System.nanoTime() - heldSince;
                    heldSince = 0;
                    if (held >= TimeUnit.MILLISECONDS.toNanos(LONG_HOLD_MILLIS)) {
                        LOG.debug("H2 writer lock held {} ms (after waiting {} ms) by {}: {}",
                                TimeUnit.NANOSECONDS.toMillis(held), TimeUnit.NANOSECONDS.toMillis(waitedNanos),
                                Thread.currentThread().getName(), statementStart(heldFor));
                    }
                }
            }
        }
    }

    /**
     * Runs {@code work} holding the writer lock of {@code dataSource}'s file, as a writing transaction would: for a change
     * to H2's store itself that no transaction may be half-way through (it stores a version). A data source without a
     * writer lock runs it at once. False when the lock did not come within the data source's timeout (work not run).
     */
    static boolean alone(DataSource dataSource, Runnable work) {
        if (!(dataSource instanceof H2SingleWriter writer)) {
            work.run();
            return true;
        }
        try {
            if (!writer.lock.acquire(writer.timeoutMillis, false)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            work.run();
        } finally {
            writer.lock.release();
        }
        return true;
    }

    /** Work run on a thread marked as an intake writer. */
    @FunctionalInterface
    interface IntakeWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} (the journal's group commit) as an intake writer: on an embedded H2 file its transaction is let
     * in before the destinations' transactions waiting for the writer lock, so that a webhook's answer waits for the one
     * transaction holding the lock, not for every batch queued before it (see {@link WriterLock}). Elsewhere nothing
     * changes.
     */
    static <T> T intakeFirst(IntakeWork<T> work) throws SQLException {
        if (INTAKE.get()) {
            return work.run();
        }
        INTAKE.set(true);
        try {
            return work.run();
        } finally {
            INTAKE.set(false);
        }
    }

    /**
     * The per-file writer lock. Two queues, each served in order: intake writers (the journal's group commits, marked by
     * {@link #intakeFirst}) and the rest (destinations, maintenance, the API). A released lock goes to the first intake
     * writer, unless the first of the rest has waited {@link #DEFER_MILLIS} ms or more: then to it. So a request waits
     * for the transaction holding the lock and for rest that waited that long, not for a queue of destination batches,
     * and a destination is never held back for long however busy intake is.
     * <p>
     * Re-entered by the thread that holds it: one thread may have two connections writing at once (Flyway migrates on
     * one while another holds its lock table), and waiting for itself would never end. Not owned at release: a
     * connection may end its transaction (commit, close) on another thread than the one that wrote; the lock is handed
     * to the next waiter whichever thread releases it.
     */
    static final class WriterLock {
        static final long DEFER_MILLIS = 100;

        private final Deque<Waiter> intake = new ArrayDeque<>();
        private final Deque<Waiter> rest = new ArrayDeque<>();
        private volatile long deferNanos;
        private Thread owner;
        private int holds;

        WriterLock() {
            this(DEFER_MILLIS);
        }

        WriterLock(long deferMillis) {
            deferFor(deferMillis);
        }

        /** How long the rest may be passed over by intake (tests lengthen it to see the order without a race). */
        void deferFor(long deferMillis) {
            this.deferNanos = TimeUnit.MILLISECONDS.toNanos(deferMillis);
        }

        private static final class Waiter {
            final Thread thread = Thread.currentThread();
            final long since = System.nanoTime();
            volatile boolean granted;
        }

        /** Takes the lock for one connection; false when it did not come within the timeout. */
        boolean acquire(long timeoutMillis) throws InterruptedException {
            return acquire(timeoutMillis, INTAKE.get());
        }

        boolean acquire(long timeoutMillis, boolean intakeWriter) throws InterruptedException {
            Waiter me;
            Deque<Waiter> queue = intakeWriter ? intake : rest;
            synchronized (this) {
                Thread current = Thread.currentThread();
                if (holds > 0 && owner == current) {
                    holds++;
                    return true;
                }
                if (holds == 0) {   // a release hands the lock to the next waiter: free means nobody waits
                    owner = current;
                    holds = 1;
                    return true;
                }
                me = new Waiter();
                queue.addLast(me);
            }
            long deadline = me.since + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!me.granted) {
                long left = deadline - System.nanoTime();
                if (Thread.interrupted()) {
                    if (giveUp(me, queue)) {
                        throw new InterruptedException();
                    }
                    Thread.currentThread().interrupt();   // granted meanwhile: keep it, the caller sees the flag
                    return true;
                }
                if (left <= 0) {
                    return !giveUp(me, queue);
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        }

        /** Leaves the queue; false when the lock was handed over meanwhile (the caller holds it then). */
        private synchronized boolean giveUp(Waiter me, Deque<Waiter> queue) {
            if (me.granted) {
                return false;
            }
            queue.remove(me);
            return true;
        }

        /** Writers waiting for the lock (for tests). */
        synchronized int waiting() {
            return intake.size() + rest.size();
        }

        /** Gives back one connection's hold, from whichever thread ends its transaction. */
        void release() {
            Waiter next;
            synchronized (this) {
                if (--holds > 0) {
                    return;
                }
                owner = null;
                next = next();
                if (next == null) {
                    return;
                }
                owner = next.thread;
                holds = 1;
                next.granted = true;
            }
            LockSupport.unpark(next.thread);
        }

        private Waiter next() {
            Waiter other = rest.peekFirst();
            if (other != null && (intake.isEmpty() || System.nanoTime() - other.since >= deferNanos)) {
                return rest.pollFirst();
            }
            return intake.pollFirst();
        }
    }

    /** The start of a statement's text on one line, enough to tell which of the hub's transactions it opened. */
    static String statementStart(String sql) {
        if (sql == null) {
            return "(a batch of statements)";
        }
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
