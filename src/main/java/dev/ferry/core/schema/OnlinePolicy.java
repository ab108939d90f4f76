package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How an online version's statements wait for their locks: each under {@code lock_timeout}, so
 * that while it waits it never holds the application's queries queued behind it for longer than
 * that; a statement that timed out is retried after a jittered, growing pause, until
 * {@code maxWait} has passed. The retries are counted for the result.
 */
public final class OnlinePolicy {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);
    private static final long FIRST_PAUSE_MS = 50;
    private static final long LONGEST_PAUSE_MS = 5_000;

    private final Duration lockTimeout;
    private final Duration maxWait;
    private final AtomicInteger retries = new AtomicInteger();

    public OnlinePolicy(Duration lockTimeout, Duration maxWait) {
        this.lockTimeout = lockTimeout;
        this.maxWait = maxWait;
    }

    public static OnlinePolicy defaults() {
        return new OnlinePolicy(DEFAULT_LOCK_TIMEOUT, DEFAULT_MAX_WAIT);
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration maxWait() {
        return maxWait;
    }

    /** Retries since the last call, and the count starts again. */
    public int takeRetries() {
        return retries.getAndSet(0);
    }

    /** Work done in one transaction that the policy may roll back and run again. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs the work in one transaction under lock_timeout, again after a pause each time it timed
     * out waiting for a lock, until the longest wait: for data steps that must not queue the
     * application behind them either (a backup's reads, a merge's row changes).
     */
    public <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
        try {
            for (int attempt = 1; ; attempt++) {
                c.setAutoCommit(false);
                try {
                    T out = work.run(c);
                    c.commit();
                    return out;
                } catch (SQLException e) {
                    c.rollback();
                    if (!"55P03".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                try {
                    pause(attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting to retry after a lock timeout", "57014", ie);
                }
            }
        } finally {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("RESET lock_timeout");
            }
        }
    }

    /** Pauses before the attempt'th retry (1, 2, ...): doubling from 50 ms up to 5 s, each between half and all of it. */
    void pause(int attempt) throws InterruptedException {
        retries.incrementAndGet();
        long ceiling = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS << Math.min(attempt - 1, 16));
        Thread.sleep(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
