package dev.ferry.bench.reliability;

import java.util.List;

/**
 * Portfolio phase 1 on the dashboard's own 1.0 database: {@code ferry portfolio phase1} (the backup, then 2.0's
 * online steps), hit by the fault; after it a user runs phase 1 again.
 */
public final class PortfolioFlow extends PortfolioFlows {

    @Override
    public String name() {
        return "portfolio phase1";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        createDashboard(trial);
    }

    @Override
    public List<String> start(Trial trial) {
        return command(trial, "phase1");
    }

    /** Phase 1's objects that are there: the table, the three columns, the three indexes, the view, the version recorded. */
    @Override
    public double progress(Trial trial) throws Exception {
        return share(trial, PHASE1_STEPS);
    }
}
