package dev.ferry.core.ops;

import java.util.concurrent.TimeUnit;

/**
 * Tells long loops (a bot file's records, a SQLite table's batches, a v2 pass's pages) that the
 * service is stopping. A run gets {@code graceMillis} after SIGTERM to end by itself; past that
 * its next check throws {@link StoppingException}, the run rolls back what it has not committed and says
 * so, and the process exits in seconds instead of waiting out Camel's shutdown timeout and then
 * forcing the routes down under a run that is still writing.
 */
public final class StopSignal {

    private static final long NOT_STOPPING = Long.MAX_VALUE;

    private final long graceNanos;
    private volatile long abortAt = NOT_STOPPING;

    public StopSignal(long graceMillis) {
        if (graceMillis < 0) {
            throw new IllegalArgumentException("ferry.shutdown.grace-ms must be 0 or more, got " + graceMillis);
        }
        this.graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMillis);
    }

    /** Camel began to stop: runs in flight have the grace period left. */
    public void stopping() {
        if (abortAt == NOT_STOPPING) {
            abortAt = System.nanoTime() + graceNanos;
        }
    }

    /** The context started (again): nothing is stopping. */
    public void started() {
        abortAt = NOT_STOPPING;
    }

    public boolean abortDue() {
        long at = abortAt;
        return at != NOT_STOPPING && System.nanoTime() - at >= 0;
    }

    /** Cheap enough for every record: a volatile read until a stop begins. */
    public void check(String what) {
        if (abortDue()) {
            throw new StoppingException("Ferry is stopping (SIGTERM): " + what + " did not end within the "
                    + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms grace period and was stopped");
        }
    }
}
