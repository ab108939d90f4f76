package dev.ferry.bot.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ferry.core.db.Database;
import dev.ferry.core.db.Sql;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.FlowRollback;
import dev.ferry.core.runs.RunRollback;
import dev.ferry.core.runs.RunStore;

/**
 * Removes exactly the rows one bot run wrote, in one transaction: its fills, then its
 * orders; positions it opened are deleted and positions it updated get their earlier
 * values back; its dedup and file keys go, so its files can load again. A row changed
 * or referenced since the run (updated_at after the run ended, another run's fill on
 * one of its orders, a later run's update of one of its positions) is kept and listed,
 * and the rollback refuses unless forced. The rollback is a run of its own.
 */
public final class BotRollback implements FlowRollback {

    /** The bot flows whose runs load trading rows; their names are the runs' flow. */
    public static final Set<String> FLOWS = Set.of("trades_history", "pending_orders", "paper_orders", "holdings", "transactions");

    private final Database db;
    private final RunStore runs;

    public BotRollback(Database db, RunStore runs) {
        this.db = db;
        this.runs = runs;
    }

    @Override
    public Set<String> flows() {
        return FLOWS;
    }

    @Override
    public RunResult rollback(long runId, boolean dryRun, boolean force, String confirm) {
        return rollbackRuns("run " + runId, c -> lockTarget(c, runId) ? List.of(runId) : null, dryRun, force, confirm);
    }

    /**
     * Rolls back every run that loaded this user's files of the chosen kinds, newest first, in
     * one transaction: all of them go, or none.
     */
    public RunResult rollbackUser(long userId, boolean trades, boolean pending, boolean paper, boolean dryRun, boolean force,
                                  String confirm) {
        List<String> flows = new ArrayList<>();
        if (trades) {
            flows.add("trades_history");
        }
        if (pending) {
            flows.add("pending_orders");
        }
        if (paper) {
            flows.addAll(List.of("paper_orders", "holdings", "transactions"));
        }
        RunResult r = rollbackRuns("user " + userId + " (" + String.join(", ", flows) + ")",
                c -> runsOfUser(c, userId, flows), dryRun, force, confirm);
        r.setUserId(userId);
        return r;
    }

    @FunctionalInterface
    private interface Targets {
        /** The runs to roll back, newest first, locked; null when there is nothing to roll back. */
        List<Long> lock(Connection c) throws SQLException;
    }

    private RunResult rollbackRuns(String what, Targets targets, boolean dryRun, boolean force, String confirm) {
        return RunRollback.inRun(db, runs, what, dryRun, (c, r) -> {
            List<Long> ids = targets.lock(c);
            if (ids == null || ids.isEmpty()) {
                return runs.endUndone(c, r, RunStatus.REFUSED, RunRollback.nothingLoaded(what));
            }
            if (!dryRun && !RunRollback.CONFIRMATION.equals(confirm)) {
                return runs.endUndone(c, r, RunStatus.REFUSED, "a rollback deletes rows: confirm with " + RunRollback.CONFIRMATION);
            }
            for (long runId : ids) {
                // checked run by run, newest first: a later run already undone no longer counts as a change
                listKept(c, runId, r);
                if (!r.getKept().isEmpty() && !force) {
                    return runs.endUndone(c, r, RunStatus.REFUSED, r.getKept().size() + " row(s) changed or referenced since run " + runId
                            + "; nothing removed (--force removes them too)");
                }
                undo(c, runId, r);
            }
            String runList = ids.size() == 1 ? "run " + ids.get(0) : ids.size() + " runs (" + ids + ")";
            if (dryRun) {
                return runs.endUndone(c, r, RunStatus.COMPLETED, "dry run: would remove " + r.getOrders() + " order(s), " + r.getFills()
                        + " fill(s), and undo " + r.getPositions() + " position change(s) of " + runList);
            }
            r.finish(RunStatus.COMPLETED, "removed the rows of " + runList);
            runs.finish(c, r);
            c.commit();
            return r;
        });
    }

    private void undo(Connection c, long runId, RunResult r) throws SQLException {
        // a forced rollback also removes other runs' fills that point at this run's orders
        r.setFills(r.getFills() + Sql.update(c, """
                DELETE FROM trading.fills WHERE ferry_run_id = ?
                   OR order_id IN (SELECT id FROM trading.orders WHERE ferry_run_id = ?)""", runId, runId));
        r.setOrders(r.getOrders() + Sql.update(c, "DELETE FROM trading.orders WHERE ferry_run_id = ?", runId));
        r.setPositions(r.getPositions() + restorePositions(c, runId));
        r.setLoaded(r.getLoaded() + Sql.update(c,
                "DELETE FROM ferry.record_keys WHERE user_id = (SELECT user_id FROM ferry.runs WHERE id = ?) AND run_id = ?", runId, runId));
        Sql.update(c, "DELETE FROM ferry.processed_files WHERE run_id = ?", runId);
        Sql.update(c, "DELETE FROM ferry.position_changes WHERE run_id = ?", runId);
        Sql.update(c, "UPDATE ferry.runs SET status = 'rolled_back', message = ? WHERE id = ?", "rolled back by run " + r.getRunId(), runId);
    }

    private static List<Long> runsOfUser(Connection c, long userId, List<String> flows) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id FROM ferry.runs WHERE user_id = ? AND flow = ANY (?) AND NOT dry_run
                  AND status IN ('completed', 'completed_with_rejects')
                ORDER BY id DESC FOR UPDATE""")) {
            ps.setLong(1, userId);
            ps.setArray(2, c.createArrayOf("text", flows.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }


    private static boolean lockTarget(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM ferry.runs WHERE id = ? AND NOT dry_run AND status IN ('completed', 'completed_with_rejects')
                FOR UPDATE""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void listKept(Connection c, long runId, RunResult r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 'order ' || o.id || ' (' || o.symbol || ' ' || o.side || '): updated at ' || o.updated_at || ', after the run ended'
                FROM trading.orders o JOIN ferry.runs run ON run.id = o.ferry_run_id
                WHERE o.ferry_run_id = ? AND o.updated_at > run.ended_at
                UNION ALL
                SELECT 'order ' || o.id || ' (' || o.symbol || ' ' || o.side || '): fill ' || f.id || ' of ' ||
                       coalesce('run ' || f.ferry_run_id, 'the platform') || ' refers to it'
                FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id
                WHERE o.ferry_run_id = ? AND f.ferry_run_id IS DISTINCT FROM o.ferry_run_id
                UNION ALL
                SELECT 'position ' || p.id || ' (' || p.symbol || '): changed since, by ' || coalesce('run ' || p.ferry_run_id, 'the platform')
                FROM ferry.position_changes pc JOIN trading.positions p ON p.id = pc.position_id
                WHERE pc.run_id = ? AND p.ferry_run_id IS DISTINCT FROM pc.run_id
                ORDER BY 1""")) {
            ps.setLong(1, runId);
            ps.setLong(2, runId);
            ps.setLong(3, runId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> kept = r.getKept();
                while (rs.next()) {
                    kept.add(rs.getString(1));
                }
            }
        }
    }

    /** Positions the run opened are deleted; positions it updated get back the row they had. */
    private static long restorePositions(Connection c, long runId) throws SQLException {
        long restored = Sql.update(c, """
                UPDATE trading.positions p
                SET quantity = b.quantity, avg_price = b.avg_price, unrealized_pnl = b.unrealized_pnl, opened_at = b.opened_at,
                    closed_at = b.closed_at, metadata = b.metadata, ferry_run_id = b.ferry_run_id
                FROM ferry.position_changes pc, jsonb_populate_record(NULL::trading.positions, pc.before) b
                WHERE pc.run_id = ? AND pc.action = 'update' AND p.id = pc.position_id""", runId);
        long removed = Sql.update(c, """
                DELETE FROM trading.positions p USING ferry.position_changes pc
                WHERE pc.run_id = ? AND pc.action = 'insert' AND p.id = pc.position_id""", runId);
        return restored + removed;
    }
}
