package dev.ferry.bench.reliability;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One flow as the reliability suite drives it. The harness creates the trial's database and folders,
 * calls {@link #prepare}, starts Ferry with {@link #start} (a one-shot command, or {@code serve} when
 * {@link #service()} holds), injects the fault, runs {@link #recover} until the flow is done, and compares
 * {@link #outcome} with a clean trial's.
 */
public interface ReliabilityFlow {

    /** Short name for the table, e.g. {@code "inbox trades-history"}. */
    String name();

    /** The faults that can happen in this flow: by default every one there is to inject. */
    default Set<Fault> faults() {
        return Fault.injected();
    }

    /** Writes the input (files, source databases) and brings the target to its starting state. */
    void prepare(Trial trial) throws Exception;

    /** Arguments to {@code ferry} for the run the fault hits. */
    List<String> start(Trial trial);

    /** Arguments to {@code ferry} after the fault: a restart, a {@code --resume}, a sync again, ... */
    List<String> recover(Trial trial);

    /** Settings of the flow's own for every Ferry process of a trial (e.g. a batch size), added to {@link Trial#env}. */
    default Map<String, String> env(Trial trial) {
        return Map.of();
    }

    /** True when {@link #start} is {@code serve}: the harness stops it once {@link #done} holds. */
    default boolean service() {
        return false;
    }

    /** For a service flow: all its input has been handled (files in done or error). */
    default boolean done(Trial trial) throws Exception {
        return true;
    }

    /** Work done so far, 0..1, read from the target, so the harness can kill at a point of progress. */
    double progress(Trial trial) throws Exception;

    /** Reads back what the target holds and what the runs counted. */
    Outcome outcome(Trial trial) throws Exception;
}
