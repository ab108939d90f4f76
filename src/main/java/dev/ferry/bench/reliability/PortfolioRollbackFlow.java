package dev.ferry.bench.reliability;

import java.util.List;

/**
 * The rollback of portfolio phase 1: phase 1 is run in {@link #prepare} (by Ferry, with the trial's environment);
 * {@code ferry portfolio rollback --confirm} (the backup, the merge, then 2.0's down.sql) is hit by the fault, and
 * run again after it. Its outcome is the dashboard's 1.0 database as it was.
 */
public final class PortfolioRollbackFlow extends PortfolioFlows {

    @Override
    public String name() {
        return "portfolio rollback";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        createDashboard(trial);
        FlowSupport.ferryOk(trial, "prepare-phase1", 600, command(trial, "phase1"));
    }

    @Override
    public List<String> start(Trial trial) {
        return command(trial, "rollback", "--confirm");
    }

    /** Phase 1's objects that are gone. */
    @Override
    public double progress(Trial trial) throws Exception {
        return 1.0 - share(trial, PHASE1_STEPS);
    }
}
