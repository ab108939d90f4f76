package dev.ferry.core.report;

/** How a run ended. The lower-case name is what ferry.runs.status holds. */
public enum RunStatus {
    RUNNING, COMPLETED, COMPLETED_WITH_REJECTS, DUPLICATE_FILE, REFUSED, INVALID, FAILED, ABORTED, ROLLED_BACK;

    public String dbValue() {
        return name().toLowerCase();
    }

    /** The source file may go to the done folder: everything it holds is accounted for. */
    public boolean accepted() {
        return this == COMPLETED || this == COMPLETED_WITH_REJECTS || this == DUPLICATE_FILE;
    }

    /** Nothing was rejected or failed: the CLI exits 0. */
    public boolean clean() {
        return this == COMPLETED || this == DUPLICATE_FILE;
    }
}
