package dev.ferry.sqlite.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.ferry.core.db.Database;
import dev.ferry.core.db.Sql;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.FlowRollback;
import dev.ferry.core.runs.RunRollback;
import dev.ferry.core.runs.RunStore;
import dev.ferry.sqlite.write.TargetCatalog;
import dev.ferry.sqlite.write.TargetNames;

/**
 * Returns the target to its exact state before one SQLite run, in one transaction:
 * tables the run created are dropped; in tables that existed, rows it inserted are
 * deleted and rows it overwrote get their before-images back. A later run that loaded
 * the same tables and still stands would lose its rows too, so the rollback refuses
 * (listing them) unless forced. Runs cut off mid-way (aborted, failed) can be rolled
 * back as well: their committed batches go.
 */
public final class SqliteRollback implements FlowRollback {

    private final Database db;
    private final RunStore runs;

    public SqliteRollback(Database db, RunStore runs) {
        this.db = db;
        this.runs = runs;
    }

    @Override
    public Set<String> flows() {
        return Set.of(SqliteRunState.FLOW);
    }

    @Override
    public RunResult rollback(long runId, boolean dryRun, boolean force, String confirm) {
        return RunRollback.inRun(db, runs, "run " + runId, dryRun, (c, r) -> {
            if (!lock(c, runId)) {
                return runs.endUndone(c, r, RunStatus.REFUSED, "no SQLite run " + runId + " that wrote to the target (not a dry run, not rolled back)");
            }
            if (!dryRun && !RunRollback.CONFIRMATION.equals(confirm)) {
                return runs.endUndone(c, r, RunStatus.REFUSED, "a rollback deletes rows and drops tables: confirm with " + RunRollback.CONFIRMATION);
            }
            r.getKept().addAll(laterRuns(c, runId));
            if (!r.getKept().isEmpty() && !force) {
                return runs.endUndone(c, r, RunStatus.REFUSED, "later runs loaded the same tables; roll them back first (--force undoes this run anyway)");
            }
            List<String> dropped = new ArrayList<>();
            long deleted = 0;
            long restored = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT target_schema, target_table, created FROM ferry.sqlite_tables WHERE run_id = ? ORDER BY source_table")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String[]> tables = new ArrayList<>();
                    while (rs.next()) {
                        tables.add(new String[] {rs.getString(1), rs.getString(2), rs.getBoolean(3) ? "created" : "existing"});
                    }
                    for (String[] t : tables) {
                        if (t[2].equals("created")) {
                            dropped.add(TargetNames.quote(t[0]) + "." + TargetNames.quote(t[1]));
                        } else {
                            long[] n = undoChanges(c, runId, t[0], t[1]);
                            deleted += n[0];
                            restored += n[1];
                        }
                    }
                }
            }
            if (!dropped.isEmpty()) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + String.join(", ", dropped));
                }
            }
            String what = "dropped " + dropped.size() + " table(s) the run created" + (dropped.isEmpty() ? "" : " (" + String.join(", ", dropped) + ")")
                    + ", deleted " + deleted + " row(s) it inserted, restored " + restored + " row(s) it overwrote";
            r.setLoaded(deleted + restored);
            if (dryRun) {
                return runs.endUndone(c, r, RunStatus.COMPLETED, "dry run: would have " + what);
            }
            Sql.update(c, "DELETE FROM ferry.sqlite_changes WHERE run_id = ?", runId);
            Sql.update(c, "UPDATE ferry.runs SET status = 'rolled_back', message = ? WHERE id = ?", "rolled back by run " + r.getRunId(), runId);
            r.finish(RunStatus.COMPLETED, what);
            runs.finish(c, r);
            c.commit();
            return r;
        });
    }

    /** Undoes the run's changes to a table it did not create; returns {deleted, restored}. */
    private static long[] undoChanges(Connection c, long runId, String schema, String table) throws SQLException {
        Optional<TargetCatalog.Table> t = TargetCatalog.describe(c, schema, table);
        if (t.isEmpty()) {
            return new long[2]; // dropped since by someone else: nothing to undo
        }
        String q = TargetNames.quote(schema) + "." + TargetNames.quote(table);
        List<String> key = t.get().key();
        String firsts = "(SELECT DISTINCT ON (key) key, action, before FROM ferry.sqlite_changes WHERE run_id = ? AND target_schema = ? "
                + "AND target_table = ? ORDER BY key, id) f";
        long deleted;
        long restored = 0;
        if (key.isEmpty()) {
            // rows without a key: delete as many copies of each inserted row as the run inserted, newest first
            deleted = update(c, "DELETE FROM " + q + " WHERE ctid IN (SELECT x.ctid FROM (SELECT t.ctid, to_jsonb(t.*) AS j, row_number() OVER "
                    + "(PARTITION BY to_jsonb(t.*) ORDER BY t.ctid DESC) AS rn FROM " + q + " t) x JOIN (SELECT key, count(*) AS n FROM "
                    + "ferry.sqlite_changes WHERE run_id = ? AND target_schema = ? AND target_table = ? AND action = 'insert' GROUP BY key) k "
                    + "ON k.key = x.j AND x.rn <= k.n)", runId, schema, table);
            return new long[] {deleted, 0};
        }
        String keyExpr = "jsonb_build_array(" + String.join(", ", key.stream().map(k -> "t." + TargetNames.quote(k)).toList()) + ")";
        List<String> cols = t.get().columns().stream().map(TargetCatalog.Column::name).filter(n -> !key.contains(n)).toList();
        if (!cols.isEmpty()) {
            StringBuilder set = new StringBuilder();
            for (String col : cols) {
                set.append(set.isEmpty() ? "" : ", ").append(TargetNames.quote(col)).append(" = b.").append(TargetNames.quote(col));
            }
            restored = update(c, "UPDATE " + q + " t SET " + set + " FROM " + firsts + " CROSS JOIN LATERAL jsonb_populate_record(NULL::" + q
                    + ", f.before) b WHERE f.action = 'update' AND " + keyExpr + " = f.key", runId, schema, table);
        }
        deleted = update(c, "DELETE FROM " + q + " t USING " + firsts + " WHERE f.action = 'insert' AND " + keyExpr + " = f.key",
                runId, schema, table);
        return new long[] {deleted, restored};
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static boolean lock(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM ferry.runs WHERE id = ? AND flow = 'sqlite' AND NOT dry_run
                  AND status IN ('completed', 'completed_with_rejects', 'failed', 'aborted') FOR UPDATE""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<String> laterRuns(Connection c, long runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT 'run ' || l.run_id || ' also loaded ' || l.target_schema || '.' || l.target_table
                FROM ferry.sqlite_tables t
                JOIN ferry.sqlite_tables l ON l.target_schema = t.target_schema AND l.target_table = t.target_table AND l.run_id > t.run_id
                JOIN ferry.runs r ON r.id = l.run_id AND r.status <> 'rolled_back' AND NOT r.dry_run
                WHERE t.run_id = ? ORDER BY 1""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

}
