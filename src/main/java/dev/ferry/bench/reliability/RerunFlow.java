package dev.ferry.bench.reliability;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A one-shot command that writes its report and that a user runs again after a crash: every fault applies (the
 * reports folder's too), and recovering is {@link #start}'s command again.
 */
abstract class RerunFlow implements ReliabilityFlow {

    @Override
    public Set<Fault> faults() {
        return EnumSet.complementOf(EnumSet.of(Fault.NONE));
    }

    @Override
    public List<String> recover(Trial trial) {
        return start(trial);
    }
}
