package dev.ferry.bench.reliability;

import java.util.List;

/**
 * A one-shot command that writes its report and that a user runs again after a crash: every fault applies (the
 * reports folder's too), and recovering is {@link #start}'s command again.
 */
abstract class RerunFlow implements ReliabilityFlow {

    @Override
    public List<String> recover(Trial trial) {
        return start(trial);
    }
}
