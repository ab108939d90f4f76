package dev.ferry.core.runs;

import java.util.Set;

import dev.ferry.core.report.RunResult;

/**
 * A flow's undo of one of its own runs. Each flow registers one with {@link RunRollback}, which
 * hands it the runs whose ferry.runs.flow it names; only the flow knows which rows its runs wrote.
 */
public interface FlowRollback {

    /** The flows (ferry.runs.flow) whose runs this rollback undoes. */
    Set<String> flows();

    /** Undoes the run or refuses, as a run of its own (flow {@link RunRollback#FLOW}); see {@link RunRollback#inRun}. */
    RunResult rollback(long runId, boolean dryRun, boolean force, String confirm);
}
