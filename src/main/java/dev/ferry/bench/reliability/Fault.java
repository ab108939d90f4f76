package dev.ferry.bench.reliability;

import java.util.EnumSet;
import java.util.Set;

/** The faults the reliability suite injects; each flow says which of them can happen to it. */
public enum Fault {
    /** No fault: the reference run whose digest every trial must reach. */
    NONE,
    /** kill -9 of the Ferry process at a random point (by time or by progress), then {@link ReliabilityFlow#recover}. */
    KILL_9,
    /** PostgreSQL restarted while the run is in flight. */
    PG_RESTART,
    /** PostgreSQL unreachable for 30 s (the proxy in front of it stops forwarding), then reachable again. */
    PG_UNREACHABLE,
    /** The reports or error folder is on a file system that is full. */
    REPORTS_FULL,
    /** The reports or error folder is read-only. */
    REPORTS_READ_ONLY,
    /** SIGTERM while a run is in flight: it finishes or aborts cleanly, then recover. */
    SIGTERM,
    /** Two Ferry processes on the same input and database at once. */
    TWO_PROCESSES;

    /** Every fault there is to inject (all but {@link #NONE}), for a flow where each can happen. */
    public static Set<Fault> injected() {
        return EnumSet.complementOf(EnumSet.of(NONE));
    }
}
