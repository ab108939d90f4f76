package dev.ferry.sqlite.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.write.ConflictStrategy;
import dev.ferry.sqlite.write.TableCounts;

/**
 * ferry.sqlite_tables: per run and table, the checkpoint and counts each batch commits
 * with, which a resumed run starts from; and the high-water marks an incremental sync
 * continues after.
 */
public final class SqliteRunState {

    public static final String FLOW = "sqlite";

    /** A table's saved state. */
    public record TableState(String sourceTable, String schema, String table, boolean created, String status, TableCounts counts,
                             String message) {
    }

    private SqliteRunState() {
    }

    /** A run r into the schema (the parameter), or one that has not got as far as its first table. */
    private static final String INTO_SCHEMA = """
            (EXISTS (SELECT 1 FROM ferry.sqlite_tables t WHERE t.run_id = r.id AND t.target_schema = ?)
                   OR NOT EXISTS (SELECT 1 FROM ferry.sqlite_tables t WHERE t.run_id = r.id))""";

    /**
     * The latest run of this file into this schema that stopped before its end (killed, failed, or still
     * marked running with its database backend gone: a PostgreSQL restart cut it off while this process
     * lives on and retries), if it is the file's latest run. A retry must resume that run, never start a
     * fresh one over the rows it committed.
     */
    public static Optional<Long> interrupted(Connection c, String sourceFile, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, CASE WHEN r.status = 'running' AND r.backend_pid IS NOT NULL
                                       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.backend_pid)
                                  THEN 'aborted' ELSE r.status END
                FROM ferry.runs r
                WHERE r.flow = ? AND r.source_file = ? AND NOT r.dry_run
                  AND """ + INTO_SCHEMA + """
                  AND r.status IN ('completed', 'completed_with_rejects', 'failed', 'aborted', 'running')
                ORDER BY r.id DESC LIMIT 1""")) {
            ps.setString(1, FLOW);
            ps.setString(2, sourceFile);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && (rs.getString(2).equals("aborted") || rs.getString(2).equals("failed"))) {
                    return Optional.of(rs.getLong(1));
                }
            }
        }
        return Optional.empty();
    }

    /** First key of the advisory lock of a schema's SQLite migration ("SQLT"). */
    private static final int SCHEMA_LOCK_SPACE = 0x53514c54;

    /**
     * Claims the target schema for this connection's session: one SQLite migration writes into a schema at a
     * time, whichever process runs it. Two at once would each load every row (a table without a key takes
     * both copies) and race each other's CREATE TABLE. False when another session holds it.
     */
    public static boolean claimSchema(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, SCHEMA_LOCK_SPACE);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Gives the schema back. A connection that cannot say so is ended, so that a pool never hands the claim
     * on to the next borrower.
     */
    public static void releaseSchema(Connection c, String schema) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            ps.setInt(1, SCHEMA_LOCK_SPACE);
            ps.setString(2, schema);
            ps.execute();
        } catch (SQLException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // the session is gone, and its lock with it
            }
        }
    }

    /** The run now migrating into the schema, as the refusal of a second one names it. */
    public static Optional<String> migrating(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 'run ' || r.id || ' of ' || r.source_file || ', started ' || to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS TZ')
                FROM ferry.runs r
                WHERE r.flow = ? AND r.status = 'running' AND NOT r.dry_run
                  AND """ + INTO_SCHEMA + """
                ORDER BY r.id DESC LIMIT 1""")) {
            ps.setString(1, FLOW);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Takes an interrupted run up again on this connection's backend. */
    public static void reopen(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE ferry.runs SET status = 'running', ended_at = NULL, backend_pid = pg_backend_pid(),
                       message = 'resumed after the last committed batch' WHERE id = ?""")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
    }

    public static Map<String, TableState> tables(Connection c, long runId) throws SQLException {
        Map<String, TableState> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT source_table, target_schema, target_table, created, status, checkpoints, watermark, rows_read, loaded, updated,
                       skipped, rejected, seconds, message, segment_ends
                FROM ferry.sqlite_tables WHERE run_id = ?""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableCounts counts = new TableCounts();
                    counts.checkpoints = longs(rs.getArray(6));
                    counts.ends = longs(rs.getArray(15));
                    counts.watermark = rs.getString(7);
                    counts.read = rs.getLong(8);
                    counts.loaded = rs.getLong(9);
                    counts.updated = rs.getLong(10);
                    counts.skipped = rs.getLong(11);
                    counts.rejected = rs.getLong(12);
                    counts.seconds = rs.getDouble(13);
                    out.put(rs.getString(1), new TableState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), counts, rs.getString(14)));
                }
            }
        }
        return out;
    }

    public static void start(Connection c, long runId, TablePlan p, boolean created, ConflictStrategy strategy, long sourceRows,
                             TableCounts counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ferry.sqlite_tables (run_id, source_table, target_schema, target_table, created, strategy, status, source_rows,
                                                 segment_ends, checkpoints, watermark)
                VALUES (?, ?, ?, ?, ?, ?, 'loading', ?, ?, ?, ?)""")) {
            ps.setLong(1, runId);
            ps.setString(2, p.label());
            ps.setString(3, p.schema());
            ps.setString(4, p.table());
            ps.setBoolean(5, created);
            ps.setString(6, strategy.dbValue());
            ps.setLong(7, sourceRows);
            ps.setArray(8, c.createArrayOf("bigint", box(counts.ends)));
            ps.setArray(9, c.createArrayOf("bigint", box(counts.checkpoints)));
            ps.setString(10, counts.watermark);
            ps.executeUpdate();
        }
    }

    public static void end(Connection c, long runId, String table, String status, String message, double seconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ferry.sqlite_tables SET status = ?, message = ?, seconds = ? WHERE run_id = ? AND source_table = ?")) {
            ps.setString(1, status);
            ps.setString(2, message);
            ps.setDouble(3, seconds);
            ps.setLong(4, runId);
            ps.setString(5, table);
            ps.executeUpdate();
        }
    }

    /** Where the last completed sync of this file's table stopped: its checkpoint and watermark. */
    public static Optional<TableCounts> lastSync(Connection c, String sourceFile, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT max(x) FROM unnest(t.checkpoints) x), t.watermark FROM ferry.sqlite_tables t JOIN ferry.runs r ON r.id = t.run_id
                WHERE r.source_file = ? AND r.flow = ? AND t.target_schema = ? AND t.source_table = ? AND t.status = 'loaded'
                  AND r.status IN ('completed', 'completed_with_rejects') AND NOT r.dry_run
                ORDER BY r.id DESC LIMIT 1""")) {
            ps.setString(1, sourceFile);
            ps.setString(2, FLOW);
            ps.setString(3, schema);
            ps.setString(4, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                TableCounts c0 = new TableCounts();
                c0.checkpoints = new long[] {rs.getObject(1) == null ? Long.MIN_VALUE : rs.getLong(1)};
                c0.watermark = rs.getString(2);
                return Optional.of(c0);
            }
        }
    }

    /** {rows, checksum} of the source rows a run committed into a table, summed while loading; null when unknown. */
    public static Object[] sourceSum(Connection c, long runId, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT source_count, source_sum FROM ferry.sqlite_tables WHERE run_id = ? AND source_table = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact()} : null;
            }
        }
    }

    public static Long[] box(long[] v) {
        Long[] out = new Long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static long[] longs(java.sql.Array a) throws SQLException {
        Object[] v = (Object[]) a.getArray();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = ((Number) v[i]).longValue();
        }
        return out;
    }

    /** Source keys the runs that loaded this table rejected; validation leaves those rows out of the source side. */
    public static Set<String> rejectedKeys(Connection c, Iterable<Long> runIds, String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source_key FROM ferry.sqlite_rejects WHERE run_id = ? AND source_table = ? AND source_key IS NOT NULL")) {
            for (Long id : runIds) {
                ps.setLong(1, id);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    /** Runs of this file that loaded the table and stand (not rolled back, not dry runs). */
    public static java.util.List<Long> runsThatLoaded(Connection c, String sourceFile, String schema, String table) throws SQLException {
        java.util.List<Long> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.id FROM ferry.sqlite_tables t JOIN ferry.runs r ON r.id = t.run_id
                WHERE r.source_file = ? AND t.target_schema = ? AND t.source_table = ? AND r.status <> 'rolled_back' AND NOT r.dry_run""")) {
            ps.setString(1, sourceFile);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }
}
