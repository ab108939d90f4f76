package dev.ferry.core.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.report.RejectedRecord;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ferry.runs: one row per run, its counts and how it ended. */
public final class RunStore {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);

    private final Database db;
    /**
     * Ends of runs that PostgreSQL could not be told when they happened (it was away). They are
     * written before the next run begins: otherwise a run cut off by an outage stays 'running'
     * while this process lives, since the stale check goes by backend, and the pool hands that
     * same backend to the retry.
     */
    private final Queue<RunResult> unrecorded = new ConcurrentLinkedQueue<>();

    public RunStore(Database db) {
        this.db = db;
    }

    /**
     * Records the run as 'running' and commits at once, so the run is visible while it
     * works. Uses the caller's connection so the row names the backend that will hold
     * the load's transaction.
     */
    public long begin(Connection c, RunResult r) throws SQLException {
        if (!unrecorded.isEmpty() && c.getAutoCommit()) {
            recordUnrecorded(c);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ferry.runs (flow, source_file, checksum, user_id, dry_run, status, backend_pid)
                VALUES (?, ?, ?, ?, ?, 'running', pg_backend_pid()) RETURNING id, started_at""")) {
            ps.setString(1, r.getFlow());
            ps.setString(2, r.getSourceFile());
            ps.setString(3, r.getChecksum());
            setLong(ps, 4, r.getUserId());
            ps.setBoolean(5, r.isDryRun());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                r.setRunId(rs.getLong(1));
                r.setStartedAt(rs.getTimestamp(2).toInstant());
                return r.getRunId();
            }
        }
    }

    /** Writes the run's end state on the given connection: inside the load's transaction for a real run. */
    public void finish(Connection c, RunResult r) throws SQLException {
        write(c, r, false);
    }

    /**
     * The end-state UPDATE; onlyIfFree: only over a run still 'running' whose row no live transaction
     * holds (SKIP LOCKED), which may yet commit an end of its own. Returns the rows written.
     */
    private static int write(Connection c, RunResult r, boolean onlyIfFree) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE ferry.runs SET status = ?, ended_at = clock_timestamp(), records_read = ?, loaded = ?, orders = ?,
                       fills = ?, positions = ?, duplicates = ?, rejected = ?, message = ?, checksum = coalesce(?, checksum)
                WHERE id = ?""" + (onlyIfFree
                ? " AND status = 'running' AND id IN (SELECT id FROM ferry.runs WHERE id = ? FOR UPDATE SKIP LOCKED)" : ""))) {
            ps.setString(1, r.getStatus().dbValue());
            ps.setLong(2, r.getRecordsRead());
            ps.setLong(3, r.getLoaded());
            ps.setLong(4, r.getOrders());
            ps.setLong(5, r.getFills());
            ps.setLong(6, r.getPositions());
            ps.setLong(7, r.getDuplicates());
            ps.setLong(8, r.getRejected());
            ps.setString(9, r.getMessage());
            ps.setString(10, r.getChecksum());
            ps.setLong(11, r.getRunId());
            if (onlyIfFree) {
                ps.setLong(12, r.getRunId());
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Ends a run whose work is undone: the transaction is rolled back (nothing of a refusal or a
     * dry run stays) and the run's end is recorded on the same connection, now in autocommit.
     */
    public RunResult endUndone(Connection c, RunResult r, RunStatus status, String message) throws SQLException {
        c.rollback();
        c.setAutoCommit(true);
        r.finish(status, message);
        finish(c, r);
        return r;
    }

    /** Writes the end state on a connection of its own; used after a rollback. Never throws. */
    public void finishAfterRollback(RunResult r) {
        if (r.getRunId() == null) {
            return;
        }
        try (Connection c = db.connection()) {
            finish(c, r);
        } catch (SQLException | RuntimeException e) {
            unrecord(r, e);
        }
    }

    /**
     * Writes a run's end on the caller's connection, which may have just lost PostgreSQL; when it
     * cannot, the end is written before the next run begins. Never throws.
     */
    public void finishOrLater(Connection c, RunResult r) {
        if (r.getRunId() == null) {
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            finish(c, r);
        } catch (SQLException | RuntimeException e) {
            unrecord(r, e);
        }
    }

    private void unrecord(RunResult r, Exception e) {
        unrecorded.add(r);
        LOG.warn("Could not record the end of run {} ({}); it is recorded when PostgreSQL answers again", r.getRunId(), e.getMessage());
    }

    /**
     * Writes the ends kept back. One whose run is held by a live transaction stays queued (that
     * transaction may commit the run's own end); one whose run has ended meanwhile is dropped.
     */
    private void recordUnrecorded(Connection c) throws SQLException {
        for (Iterator<RunResult> it = unrecorded.iterator(); it.hasNext(); ) {
            RunResult r = it.next();
            if (write(c, r, true) > 0) {
                LOG.info("Recorded the end of run {} now that PostgreSQL answers: {}", r.getRunId(), r.getStatus().dbValue());
                it.remove();
            } else if (!stillRunning(c, r.getRunId())) {
                it.remove();
            }
        }
    }

    private static boolean stillRunning(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry.runs WHERE id = ? AND status = 'running'")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a run for a file whose content was loaded before, without reading it again. */
    public RunResult recordDuplicateFile(RunResult r, long firstRunId) {
        r.setDuplicateOfRun(firstRunId);
        try (Connection c = db.connection()) {
            begin(c, r);
            r.finish(RunStatus.DUPLICATE_FILE, "same content already loaded by run " + firstRunId);
            finish(c, r);
            return r;
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("recording a duplicate file", e);
        }
    }

    /**
     * Marks 'running' runs whose database backend is gone as aborted. A bot file's run is one
     * transaction, so nothing of it stayed; a SQLite run keeps the batches it committed, and
     * --resume continues after them.
     */
    public int abortStale() {
        try (Connection c = db.connection()) {
            if (!unrecorded.isEmpty()) {
                recordUnrecorded(c);
            }
            return abortStale(c);
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("closing out interrupted runs", e);
        }
    }

    private static int abortStale(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE ferry.runs SET status = 'aborted', ended_at = clock_timestamp(),
                       message = CASE WHEN flow = 'sqlite'
                           THEN 'the process stopped before the run finished; its committed batches were kept: continue with ferry sqlite --resume'
                           ELSE 'the process stopped before the run finished; nothing it wrote was kept' END
                WHERE status = 'running' AND (backend_pid IS NULL OR backend_pid NOT IN (SELECT pid FROM pg_stat_activity))""")) {
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.warn("Marked {} interrupted run(s) as aborted; bot files will be loaded again, SQLite runs can be resumed", n);
            }
            return n;
        }
    }

    /** The run that loaded this file content, if any. */
    public Optional<Long> runForFileKey(String fileKey) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id FROM ferry.processed_files WHERE file_key = ?")) {
            ps.setString(1, fileKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("looking up a file key", e);
        }
    }

    /** The most recent runs, newest first. */
    public List<RunResult> recent(int limit) {
        List<RunResult> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, flow, source_file, checksum, user_id, dry_run, status, started_at, ended_at, records_read, loaded,
                       orders, fills, positions, duplicates, rejected, message
                FROM ferry.runs ORDER BY id DESC LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunResult r = new RunResult(rs.getString(2), rs.getString(3), (Long) rs.getObject(5), rs.getBoolean(6));
                    r.setRunId(rs.getLong(1));
                    r.setChecksum(rs.getString(4));
                    r.setStatus(RunStatus.valueOf(rs.getString(7).toUpperCase()));
                    r.setStartedAt(rs.getTimestamp(8).toInstant());
                    Timestamp ended = rs.getTimestamp(9);
                    r.setEndedAt(ended == null ? null : ended.toInstant());
                    r.setRecordsRead(rs.getLong(10));
                    r.setLoaded(rs.getLong(11));
                    r.setOrders(rs.getLong(12));
                    r.setFills(rs.getLong(13));
                    r.setPositions(rs.getLong(14));
                    r.setDuplicates(rs.getLong(15));
                    r.setRejected(rs.getLong(16));
                    r.setMessage(rs.getString(17));
                    out.add(r);
                }
            }
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("listing runs", e);
        }
        return out;
    }

    /** Rows written to the trading tables (orders + fills + positions) and records rejected, by the runs whose rows are still in place. */
    public record Totals(long rows, long rejected) {
    }

    /** Adds up real import runs that completed and were not rolled back: what Ferry's loads left in the tables. */
    public Totals totals() {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(sum(orders + fills + positions), 0), coalesce(sum(rejected), 0) FROM ferry.runs
                WHERE NOT dry_run AND flow <> 'rollback' AND status IN ('completed', 'completed_with_rejects')""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Totals(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("adding up runs", e);
        }
    }

    /** The first rejects of a run, in file order. */
    public List<RejectedRecord> rejectsOf(long runId, int limit) {
        List<RejectedRecord> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT source_file, record_no, record_path, line, field, reason, raw FROM ferry.rejects
                WHERE run_id = ? ORDER BY record_no LIMIT ?""")) {
            ps.setLong(1, runId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RejectedRecord(rs.getString(1), rs.getInt(2), rs.getString(3), (Integer) rs.getObject(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("listing rejects", e);
        }
        return out;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
