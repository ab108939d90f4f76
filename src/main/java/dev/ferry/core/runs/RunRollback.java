package dev.ferry.core.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;

/**
 * Rolls back one run, whatever its flow: the run's flow (ferry.runs.flow) picks the
 * registered {@link FlowRollback}, which alone knows the rows that flow writes. What every
 * rollback shares lives here: the confirmation, and the rollback recorded as a run of its
 * own whose undo happens in one transaction.
 */
public final class RunRollback {

    public static final String FLOW = "rollback";
    public static final String CONFIRMATION = "DELETE";

    private final Database db;
    private final RunStore runs;
    private final Map<String, FlowRollback> byFlow = new HashMap<>();

    public RunRollback(Database db, RunStore runs, List<FlowRollback> rollbacks) {
        this.db = db;
        this.runs = runs;
        for (FlowRollback rollback : rollbacks) {
            for (String flow : rollback.flows()) {
                if (byFlow.putIfAbsent(flow, rollback) != null) {
                    throw new IllegalArgumentException("two rollbacks registered for flow " + flow);
                }
            }
        }
    }

    public RunResult rollback(long runId, boolean dryRun, boolean force, String confirm) {
        FlowRollback rollback = byFlow.get(flowOf(runId));
        if (rollback != null) {
            return rollback.rollback(runId, dryRun, force, confirm);
        }
        // an unknown run, or one no flow undoes (a rollback, a validation), is refused like a run with nothing to remove
        String what = "run " + runId;
        return inRun(db, runs, what, dryRun, (c, r) -> runs.endUndone(c, r, RunStatus.REFUSED, nothingLoaded(what)));
    }

    /** Why a rollback of {@code what} (a run, a user's runs) found nothing to remove. */
    public static String nothingLoaded(String what) {
        return "no run of " + what + " that loaded rows (completed, not a dry run, not rolled back)";
    }

    /** The work of a rollback inside its transaction; it ends the run through {@link RunStore}. */
    @FunctionalInterface
    public interface Undo {
        RunResult apply(Connection c, RunResult r) throws SQLException;
    }

    /**
     * Records a rollback of {@code what} as a run of its own, then does the undo in one
     * transaction on the same connection: an exception rolls all of it back.
     */
    public static RunResult inRun(Database db, RunStore runs, String what, boolean dryRun, Undo undo) {
        RunResult r = new RunResult(FLOW, what, null, dryRun);
        try (Connection c = db.connection()) {
            runs.begin(c, r);
            c.setAutoCommit(false);
            try {
                return undo.apply(c, r);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("rolling back " + what, e);
        }
    }

    private String flowOf(long runId) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT flow FROM ferry.runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("looking up run " + runId, e);
        }
    }
}
