package dev.ferry.v2.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.FlowRollback;
import dev.ferry.core.runs.RunRollback;
import dev.ferry.core.runs.RunStore;
import dev.ferry.core.db.Database;
import dev.ferry.core.db.Sql;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.v2.V2Migration;
import dev.ferry.v2.V2Request;
import dev.ferry.v2.report.V2Result;

/**
 * Undoes v2 runs in v3 from the lineage alone: rows a run inserted are deleted, rows it
 * overwrote (a sync's update, an enrichment of the platform's own signal, an applied delete) are
 * put back from the undo log, newest run first; the platform's own rows stay. A row that changed
 * since Ferry wrote it (its md5 differs from the one kept) stops the rollback, listed, unless
 * --force. v2 is never touched. With --with-schema the compatibility change and the lineage
 * schema are undone too, on the schema engine, once no Ferry row is left.
 */
public final class V2Rollback implements FlowRollback {

    /** Delete order: rows that point at others go first. */
    private static final List<String> DELETE_ORDER = List.of("trades", "sltp_orders", "orders", "signals", "bybit_trade_history",
            "trading_sessions");
    private static final int LISTED = 50;

    private final V2Migration migration;
    private final Database ferryDb;
    private final RunStore runs;

    public V2Rollback(V2Migration migration, Database ferryDb, RunStore runs) {
        this.migration = migration;
        this.ferryDb = ferryDb;
        this.runs = runs;
    }

    @Override
    public Set<String> flows() {
        return Set.of(V2Migration.FLOW);
    }

    /** `ferry rollback --run N` of a v2 run: the same undo, reported as the generic rollback reports. */
    @Override
    public RunResult rollback(long runId, boolean dryRun, boolean force, String confirm) {
        V2Result v = rollback(new V2Request("rollback", null, null, dryRun, false, runId, false, false, force, confirm));
        RunResult r = new RunResult(RunRollback.FLOW, "v2 run " + runId, null, dryRun);
        r.setRunId(v.getRunId());
        r.setLoaded(v.getV3Rows().values().stream().mapToLong(Long::longValue).sum());
        return r.finish(v.ok() ? RunStatus.COMPLETED : v.getStatus() == V2Result.Status.REFUSED ? RunStatus.REFUSED : RunStatus.FAILED,
                v.getMessage());
    }

    public V2Result rollback(V2Request r) {
        return migration.exclusively(() -> rollbackExclusive(r), () -> new V2Result("rollback", null, null, r.dryRun())
                .refuse("another v2 command is running in this Ferry; try again when it ends"));
    }

    private V2Result rollbackExclusive(V2Request r) {
        V2Result result = new V2Result("rollback", null, migration.target().safeUrl(), r.dryRun());
        if (r.runId() == null && !r.all()) {
            return result.refuse("say which runs to undo: --run ID, or --all for every v2 run");
        }
        if (!r.dryRun() && !RunRollback.CONFIRMATION.equals(r.confirm())) {
            return result.refuse("a rollback deletes rows from v3: add --confirm " + RunRollback.CONFIRMATION + " (or --dry-run to see what it would do)");
        }
        if (r.withSchema() && !r.all()) {
            return result.refuse("--with-schema undoes the compatibility change, which every v2 run needs: use it with --all");
        }
        try {
            migration.connectTarget(r);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return result.refuse(e.getMessage());
        }
        RunResult ledger = new RunResult(RunRollback.FLOW, r.all() ? "v2 all runs" : "v2 run " + r.runId(), null, r.dryRun());
        try (Connection v3 = migration.target().connect(); Connection control = ferryDb.connection()) {
            runs.begin(control, ledger);
            result.setRunId(ledger.getRunId());
            if (!r.all()) {
                String why = notUndoable(control, r.runId());
                if (why != null) {
                    return end(control, ledger, result.refuse(why));
                }
            }
            if (!migration.lock(v3)) {
                return end(control, ledger, result.refuse("a v2 pass is running against " + migration.target().safeUrl() + "; roll back after it ends"));
            }
            try {
                if (!lineageExists(v3)) {
                    if (r.withSchema()) {
                        return end(control, ledger, undoSchema(result, r.dryRun(), true));
                    }
                    return end(control, ledger, result.refuse("no v2 migration has written to " + migration.target().safeUrl() + ": nothing to roll back"));
                }
                v3.setAutoCommit(false);
                List<Long> undo = r.all() ? allRuns(v3) : List.of(r.runId());
                if (!r.all() && !undo.isEmpty() && !knownRun(v3, r.runId())) {
                    v3.rollback();
                    return end(control, ledger, result.refuse("run " + r.runId() + " wrote nothing to " + migration.target().safeUrl()
                            + " (see ferry runs for the v2 runs)"));
                }
                String refusal = refusal(v3, undo, r.all(), r.force(), result);
                if (refusal != null) {
                    v3.rollback();
                    return end(control, ledger, result.refuse(refusal));
                }
                for (Long run : undo) {
                    undoRun(v3, run, result);
                }
                if (r.all()) {
                    try (Statement st = v3.createStatement()) {
                        st.execute("DELETE FROM ferry_v2.state");
                        st.execute("DELETE FROM ferry_v2.pages");
                    }
                }
                if (r.dryRun()) {
                    v3.rollback();
                } else {
                    v3.commit();
                    markRolledBack(control, undo, ledger.getRunId());
                }
                result.setMessage((r.dryRun() ? "would undo " : "undid ") + (undo.isEmpty() ? "no run" : "run(s) " + undo) + ": "
                        + result.getV3Rows() + " v3 row(s) deleted or restored");
            } finally {
                migration.unlock(v3);
            }
            if (r.withSchema()) {
                undoSchema(result, r.dryRun(), false);
            }
            return end(control, ledger, result.finish());
        } catch (SQLException | RuntimeException e) {
            ledger.finish(RunStatus.FAILED, e.getMessage());
            runs.finishAfterRollback(ledger);
            return result.fail("rolling back: " + e.getMessage() + " (nothing was changed: the undo is one transaction)");
        }
    }

    private V2Result end(Connection control, RunResult ledger, V2Result r) throws SQLException {
        ledger.setLoaded(r.getV3Rows().values().stream().mapToLong(Long::longValue).sum());
        ledger.finish(r.ok() ? RunStatus.COMPLETED : r.getStatus() == V2Result.Status.REFUSED ? RunStatus.REFUSED : RunStatus.FAILED, r.getMessage());
        runs.finish(control, ledger);
        return r;
    }

    /** Why a run cannot be undone by this rollback (not a v2 run, a dry run, undone already), or null. */
    private static String notUndoable(Connection control, long run) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("SELECT flow, status, dry_run, message FROM ferry.runs WHERE id = ?")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "there is no run " + run + " (ferry runs lists them)";
                }
                if (!V2Migration.FLOW.equals(rs.getString(1))) {
                    return "run " + run + " is a " + rs.getString(1) + " run, not a v2 one: ferry rollback --run " + run + " undoes it";
                }
                if (rs.getBoolean(3)) {
                    return "run " + run + " was a dry run: it left nothing to undo";
                }
                if ("rolled_back".equals(rs.getString(2))) {
                    return "run " + run + " is rolled back already (" + rs.getString(4) + ")";
                }
                return null;
            }
        }
    }

    private static boolean lineageExists(Connection v3) throws SQLException {
        try (Statement st = v3.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('ferry_v2.written') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Every run that left something in v3's lineage, newest first. */
    private static List<Long> allRuns(Connection v3) throws SQLException {
        return ids(v3, "SELECT r FROM (SELECT first_run AS r FROM ferry_v2.written UNION SELECT run_id FROM ferry_v2.written "
                + "UNION SELECT run_id FROM ferry_v2.changes UNION SELECT run_id FROM ferry_v2.source_rows) x ORDER BY r DESC");
    }

    private static boolean knownRun(Connection v3, long run) throws SQLException {
        return !ids(v3, "SELECT 1 FROM ferry_v2.written WHERE first_run = " + run + " OR run_id = " + run
                + " UNION ALL SELECT 1 FROM ferry_v2.changes WHERE run_id = " + run
                + " UNION ALL SELECT 1 FROM ferry_v2.source_rows WHERE run_id = " + run + " LIMIT 1").isEmpty();
    }

    /** Why the undo cannot go ahead, or null: a later run changed the rows of this one, or a row was changed since Ferry wrote it. */
    private static String refusal(Connection v3, List<Long> undo, boolean all, boolean force, V2Result result) throws SQLException {
        if (undo.isEmpty()) {
            return null;
        }
        Long[] runIds = undo.toArray(new Long[0]);
        if (!all) {
            List<String> later = texts(v3, "SELECT DISTINCT 'run ' || w.run_id FROM ferry_v2.written w WHERE w.run_id > ? "
                    + "AND (w.first_run = ? OR EXISTS (SELECT 1 FROM ferry_v2.changes c WHERE c.run_id = ? AND c.v3_table = w.v3_table AND c.v3_id = w.v3_id))",
                    runIds[0], runIds[0], runIds[0]);
            if (!later.isEmpty()) {
                return "later v2 run(s) " + later + " changed rows of run " + runIds[0] + ": roll those back first, or use --all";
            }
        }
        List<String> changed = new ArrayList<>();
        for (String table : DELETE_ORDER) {
            changed.addAll(texts(v3, "SELECT '" + table + " id ' || x.id || ' (from v2 ' || w.v2_table || ' id ' || w.v2_id || ')' FROM ferry_v2.written w "
                    + "JOIN " + table + " x ON x.id = w.v3_id WHERE w.v3_table = '" + table + "' AND w.run_id = ANY(?) "
                    + "AND md5(row_to_json(x)::text) IS DISTINCT FROM w.content_md5 ORDER BY x.id LIMIT " + LISTED, (Object) runIds));
        }
        if (changed.isEmpty()) {
            return null;
        }
        if (force) {
            result.getNotes().add("--force: undoing " + changed.size() + "+ row(s) changed in v3 since Ferry wrote them: " + changed);
            return null;
        }
        result.getKept().addAll(changed);
        return changed.size() + (changed.size() >= LISTED ? "+" : "") + " v3 row(s) changed since Ferry wrote them (by the platform or by hand): "
                + changed + "; nothing was rolled back (--force undoes them anyway)";
    }

    private void undoRun(Connection v3, long run, V2Result result) throws SQLException {
        // overwritten rows back as they were, newest change first
        List<Object[]> changes = new ArrayList<>();
        try (PreparedStatement ps = v3.prepareStatement("SELECT id, v3_table, v3_id, action, before_run, before_md5, v2_table, v2_id, before_hash "
                + "FROM ferry_v2.changes WHERE run_id = ? ORDER BY id DESC")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), (Long) rs.getObject(5),
                            rs.getString(6), rs.getString(7), rs.getLong(8), (Long) rs.getObject(9)});
                }
            }
        }
        for (Object[] ch : changes) {
            long id = (Long) ch[0];
            String table = (String) ch[1];
            long v3Id = (Long) ch[2];
            String action = (String) ch[3];
            Long beforeRun = (Long) ch[4];
            if (action.equals("delete")) {
                Sql.update(v3, "INSERT INTO " + table + " SELECT * FROM json_populate_record(NULL::" + table + ", (SELECT before FROM ferry_v2.changes WHERE id = ?))", id);
                Sql.update(v3, "INSERT INTO ferry_v2.written (v3_table, v3_id, v2_table, v2_id, first_run, run_id, content_md5) "
                        + "SELECT v3_table, v3_id, v2_table, v2_id, before_run, before_run, before_md5 FROM ferry_v2.changes WHERE id = ? AND before_run IS NOT NULL", id);
            } else {
                String cols = columns(v3, table);
                Sql.update(v3, "UPDATE " + table + " x SET (" + cols + ") = (SELECT " + cols + " FROM json_populate_record(NULL::" + table
                        + ", (SELECT before FROM ferry_v2.changes WHERE id = ?))) WHERE x.id = ?", id, v3Id);
                if (beforeRun == null) {
                    Sql.update(v3, "DELETE FROM ferry_v2.written WHERE v3_table = ? AND v3_id = ?", table, v3Id);
                } else {
                    Sql.update(v3, "UPDATE ferry_v2.written SET run_id = ?, content_md5 = ? WHERE v3_table = ? AND v3_id = ?", beforeRun, ch[5], table, v3Id);
                }
            }
            if (ch[8] != null) {
                // the v2 row is seen as it was before this run, so the next sync applies its change again
                Sql.update(v3, "UPDATE ferry_v2.source_rows SET row_hash = ?, run_id = ?, deleted = false WHERE v2_table = ? AND v2_id = ?",
                        ch[8], beforeRun == null ? run : beforeRun, ch[6], ch[7]);
            } else if (action.equals("delete")) {
                Sql.update(v3, "UPDATE ferry_v2.source_rows SET deleted = false WHERE v2_table = ? AND v2_id = ?", ch[6], ch[7]);
            }
            result.wrote(table, 1);
        }
        Sql.update(v3, "DELETE FROM ferry_v2.changes WHERE run_id = ?", run);
        // rows the run inserted
        for (String table : DELETE_ORDER) {
            int n;
            try (PreparedStatement ps = v3.prepareStatement("DELETE FROM " + table + " x USING ferry_v2.written w WHERE w.v3_table = ? "
                    + "AND w.v3_id = x.id AND w.first_run = ? AND NOT w.enriched")) {
                ps.setString(1, table);
                ps.setLong(2, run);
                n = ps.executeUpdate();
            }
            Sql.update(v3, "DELETE FROM ferry_v2.written WHERE v3_table = ? AND first_run = ? AND NOT enriched", table, run);
            if (n > 0) {
                result.wrote(table, n);
            }
        }
        // v2 rows first seen by the run are unknown again; a row whose v3 rows stay (a delete it only reported) is known again
        Sql.update(v3, "UPDATE ferry_v2.source_rows s SET deleted = false WHERE run_id = ? AND EXISTS "
                + "(SELECT 1 FROM ferry_v2.written w WHERE w.v2_table = s.v2_table AND w.v2_id = s.v2_id)", run);
        Sql.update(v3, "DELETE FROM ferry_v2.source_rows s WHERE run_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM ferry_v2.written w WHERE w.v2_table = s.v2_table AND w.v2_id = s.v2_id)", run);
        // the pages this run checkpointed are read again by the next pass
        Sql.update(v3, "DELETE FROM ferry_v2.pages WHERE run_id = ?", run);
    }

    private V2Result undoSchema(V2Result result, boolean dryRun, boolean lineageGone) {
        List<SchemaProject> projects = lineageGone ? List.of(migration.compatProject())
                : List.of(migration.compatProject(), V2Migration.lineageProject());
        for (SchemaProject p : projects) {
            SchemaResult s = migration.engine().undo(p, "0", dryRun, false);
            if (!s.ok()) {
                return result.fail("undoing schema " + p.name() + ": " + s.summaryLine());
            }
            result.getNotes().add((dryRun ? "would undo" : "undid") + " schema " + p.name() + " (" + s.summaryLine() + ")");
        }
        return result.finish();
    }

    private void markRolledBack(Connection control, List<Long> undone, long by) throws SQLException {
        if (undone.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = control.prepareStatement("UPDATE ferry.runs SET status = 'rolled_back', message = ? WHERE id = ANY(?) AND flow = ?")) {
            ps.setString(1, "rolled back by run " + by);
            ps.setArray(2, control.createArrayOf("bigint", undone.toArray()));
            ps.setString(3, V2Migration.FLOW);
            ps.executeUpdate();
        }
    }

    private static String columns(Connection v3, String table) throws SQLException {
        List<String> cols = texts(v3, "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped AND attname <> 'id'", table);
        return cols.get(0);
    }

    private static List<String> texts(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void bind(Connection c, PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long[] arr) {
                ps.setArray(i + 1, c.createArrayOf("bigint", arr));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }
}
