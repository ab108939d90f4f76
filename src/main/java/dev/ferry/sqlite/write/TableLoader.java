package dev.ferry.sqlite.write;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.ops.StopSignal;
import dev.ferry.sqlite.convert.CastException;
import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.RowConverter;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.read.Rows;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.validate.RowHasher;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Loads one table: a reader thread streams the SQLite rows, converts them and packs
 * them into COPY batches while this thread sends the previous batch to PostgreSQL.
 * Each batch commits together with its checkpoint and its rejects. A table Ferry
 * created takes a plain COPY; an existing table takes the batch through a temporary
 * staging table and a merge that applies the conflict strategy and records what it
 * changed. A batch PostgreSQL refuses is narrowed down to the refused rows, which are
 * rejected, and the rest is loaded.
 */
public final class TableLoader {

    /** What a loader needs besides the table. */
    public record Options(long runId, ConflictStrategy strategy, int batchRows, int queueBatches, double maxRejectRatio,
                          int keepRejects, boolean dryRun, StopSignal stop) {
    }

    /** Rows done so far of the table's total, after each batch. */
    public interface Progress {
        void rows(TablePlan table, long done, long total);
    }

    private static final Pattern COPY_LINE = Pattern.compile("line (\\d+)(?:, column ([^:]+))?");
    private static final Object END = new Object();

    /** Rows of the current batch PostgreSQL refused (their hashes leave the validation sum). */
    private final java.util.Set<Integer> refused = new java.util.HashSet<>();

    private final SqliteSource source;
    private final TablePlan plan;
    private final RowConverter converter;
    private final Options options;
    private final boolean staged;
    private final int watermarkIndex;
    /** The binary encoder, or null when the table goes in text format. */
    private final BinaryRows binary;

    public TableLoader(SqliteSource source, TablePlan plan, RowConverter converter, Options options, int watermarkIndex) {
        this.source = source;
        this.plan = plan;
        this.converter = converter;
        this.options = options;
        this.staged = plan.exists();
        this.watermarkIndex = watermarkIndex;
        // a staging table has Ferry's own column types, all with a binary form; the merge casts to the target's
        this.binary = BinaryRows.forTypes(plan.columns(), staged ? plan.columns().stream().map(c -> stageType(c.kind())).toList()
                : plan.columns().stream().map(ColumnPlan::targetType).toList());
    }

    /**
     * Loads the rows after {@code counts.checkpoint} (and matching the extra condition, for
     * an incremental sync). Returns normally when the table is done or failed; failure is
     * in the returned message, null when it loaded.
     */
    public String load(Connection pg, TableCounts counts, long sourceRows, String condition, List<Object> params, Progress progress)
            throws SQLException, InterruptedException {
        List<Integer> open = new ArrayList<>();
        for (int s = 0; s < counts.checkpoints.length; s++) {
            if (counts.checkpoints[s] < counts.ends[s]) {
                open.add(s);
            }
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(Math.max(1, options.queueBatches()) * Math.max(1, open.size()));
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        UniqueGuard guard = staged ? null : new UniqueGuard(plan, sourceRows);
        List<Thread> threads = new ArrayList<>();
        for (int s : open) {
            Thread t = new Thread(new Reader(queue, s, counts.checkpoints[s], counts.ends[s], condition, params, stopped,
                    guard == null || guard.isEmpty() ? null : guard), "ferry-read-" + plan.label() + "-" + s);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        int running = threads.size();
        long limit = (long) Math.floor(options.maxRejectRatio() * sourceRows);
        try {
            if (!options.dryRun()) {
                pg.setAutoCommit(false);
                if (staged) {
                    createStage(pg);
                }
            }
            while (running > 0) {
                Object item = queue.take();
                if (item == END) {
                    running--;
                    continue;
                }
                if (item instanceof Throwable e) {
                    throw e instanceof SQLException sql ? sql : new IllegalStateException("reading " + plan.label() + ": " + e.getMessage(), e);
                }
                CopyBatch batch = (CopyBatch) item;
                long before = System.nanoTime();
                List<RejectRow> rejects = new ArrayList<>(batch.rejects);
                refused.clear();
                long loaded = 0;
                long updated = 0;
                if (!options.dryRun() && batch.rows() > 0) {
                    if (staged) {
                        copy(pg, stageCopySql(), batch, 0, batch.rows(), rejects);
                        long[] merged = merge(pg, batch, 0, batch.rows(), rejects);
                        loaded = merged[0];
                        updated = merged[1];
                    } else {
                        loaded = copy(pg, "COPY " + plan.qualified() + " (" + plan.columnList() + ") FROM STDIN" + format(), batch, 0, batch.rows(), rejects);
                    }
                } else {
                    loaded = batch.rows();
                }
                counts.read += batch.read;
                counts.loaded += loaded;
                counts.updated += updated;
                counts.skipped += batch.rows() - (rejects.size() - batch.rejects.size()) - loaded - updated;
                counts.addRejects(rejects, options.keepRejects());
                counts.checkpoints[batch.segment] = batch.checkpoint;
                java.math.BigInteger batchSum = batch.sum(refused);
                counts.sourceCount += batch.rows() - refused.size();
                counts.sourceSum = counts.sourceSum.add(batchSum);
                if (batch.watermark != null) {
                    counts.watermark = batch.watermark;
                }
                counts.seconds += (System.nanoTime() - before) / 1e9;
                if (!options.dryRun()) {
                    saveRejects(pg, rejects);
                    checkpoint(pg, counts, batch.read, loaded, updated, batch.rows() - (rejects.size() - batch.rejects.size()) - loaded - updated,
                            rejects.size(), (System.nanoTime() - before) / 1e9, batch.rows() - refused.size(), batchSum);
                    pg.commit();
                }
                progress.rows(plan, counts.read, sourceRows);
                // between batches: what was committed is checkpointed, so a stop here loses nothing a resume cannot continue
                options.stop().check("the SQLite migration of table " + plan.label());
                if (counts.rejected > limit) {
                    stopped.set(true);
                    return counts.rejected + " rejected row(s) exceed the threshold of " + limit + " ("
                            + (options.maxRejectRatio() * 100) + "% of " + sourceRows + " rows)";
                }
            }
            return null;
        } catch (ConflictException e) {
            stopped.set(true);
            rollbackQuietly(pg);
            return e.getMessage();
        } catch (SQLException | RuntimeException | InterruptedException e) {
            stopped.set(true);
            rollbackQuietly(pg);
            throw e;
        } catch (Throwable e) {
            stopped.set(true);
            rollbackQuietly(pg);
            throw new IllegalStateException(e);
        } finally {
            stopped.set(true);
            queue.clear();
            for (Thread t : threads) {
                t.join(10_000);
            }
            if (staged && !options.dryRun()) {
                try (Statement st = pg.createStatement()) {
                    pg.setAutoCommit(true);
                    st.execute("DROP TABLE IF EXISTS pg_temp.ferry_stage");
                } catch (SQLException e) {
                    // the session's end drops it anyway
                }
            }
        }
    }

    private static void rollbackQuietly(Connection pg) {
        try {
            if (!pg.getAutoCommit()) {
                pg.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is going away; nothing of the batch was committed
        }
    }

    // ---------------------------------------------------------------- reading

    private final class Reader implements Runnable {
        private final BlockingQueue<Object> queue;
        private final int segment;
        private final long after;
        private final long upTo;
        private final String condition;
        private final List<Object> params;
        private final java.util.concurrent.atomic.AtomicBoolean stop;
        private final UniqueGuard guard;
        /** The guard's second look at an earlier row, opened on its first hash hit. */
        private Connection lookup;
        /** Made once, not per row: the guard calls it only on a hash hit. */
        private final UniqueGuard.Earlier earlier = this::earlier;

        Reader(BlockingQueue<Object> queue, int segment, long after, long upTo, String condition, List<Object> params,
               java.util.concurrent.atomic.AtomicBoolean stop, UniqueGuard guard) {
            this.queue = queue;
            this.segment = segment;
            this.after = after;
            this.upTo = upTo;
            this.condition = condition;
            this.params = params;
            this.stop = stop;
            this.guard = guard;
        }

        @Override
        public void run() {
            try (Connection c = source.open(); Rows rows = source.rows(c, plan.source(), after, upTo, condition, params)) {
                StringBuilder line = new StringBuilder(256);
                RowHasher hasher = new RowHasher(converter.columns());
                CopyBatch batch = new CopyBatch(binary != null);
                batch.segment = segment;
                Object[] raw;
                int mark = -1;
                Comparable<Object> high = null;
                while (!stop.get() && (raw = rows.next()) != null) {
                    batch.read++;
                    if (watermarkIndex >= 0 && raw[watermarkIndex] instanceof Comparable<?> w) {
                        @SuppressWarnings("unchecked")
                        Comparable<Object> cw = (Comparable<Object>) w;
                        if (high == null || (high.getClass() == cw.getClass() && cw.compareTo(high) > 0)) {
                            high = cw;
                        }
                    }
                    mark = -1;
                    try {
                        Object[] row = converter.convert(raw);
                        String duplicate = guard == null ? null : guard.check(row, rows.position(), earlier);
                        if (duplicate != null) {
                            batch.rejects.add(new RejectRow(SourceKeys.of(plan.source(), raw, rows.position()), null, null, duplicate));
                            continue;
                        }
                        line.setLength(0);
                        long hash = hasher.hash(row);
                        mark = batch.mark();
                        if (binary != null) {
                            binary.write(row, batch.sink, staged ? rows.position() : null);
                        } else {
                            line.setLength(0);
                            converter.copyLine(row, line);
                            if (staged) {
                                line.append('\t').append(rows.position());
                            }
                            batch.addLine(line.toString());
                        }
                        batch.endRow(rows.position(), hash);
                    } catch (CastException e) {
                        if (mark >= 0) {
                            batch.reset(mark);
                        }
                        batch.rejects.add(new RejectRow(SourceKeys.of(plan.source(), raw, rows.position()), e.column(), e.value(), e.getMessage()));
                    }
                    if (batch.read >= options.batchRows()) {
                        batch.checkpoint = rows.position();
                        batch.watermark = high == null ? null : high.toString();
                        if (!put(batch)) {
                            return;
                        }
                        batch = new CopyBatch(binary != null, batch);
                        batch.segment = segment;
                    }
                }
                if (stop.get()) {
                    return;
                }
                batch.checkpoint = Math.max(rows.position(), after);
                batch.watermark = high == null ? null : high.toString();
                if (batch.read > 0 && !put(batch)) {
                    return;
                }
                put(END);
            } catch (Throwable e) {
                put(e);
            } finally {
                if (lookup != null) {
                    try {
                        lookup.close();
                    } catch (SQLException ignored) {
                        // a read-only SQLite handle: nothing is lost by not closing it cleanly
                    }
                }
            }
        }

        /** The converted row at a source position, for the guard to compare keys with; read on a connection of its own. */
        private Object[] earlier(long position) throws SQLException {
            if (lookup == null) {
                lookup = source.open();
            }
            try (Rows one = source.rows(lookup, plan.source(), position - 1, position, null, null)) {
                Object[] raw = one.next();
                return raw == null || one.position() != position ? null : converter.convert(raw);
            } catch (CastException e) {
                return null;
            }
        }

        private boolean put(Object item) {
            try {
                while (!stop.get()) {
                    if (queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * COPYs lines [from, to); a line PostgreSQL refuses is rejected and the others go
     * again. COPY names the failing line, so one failure costs one resend of the rows
     * before it; without a line number the range is halved.
     */
    private long copy(Connection pg, String sql, CopyBatch b, int from, int to, List<RejectRow> rejects) throws SQLException {
        CopyManager copy = pg.unwrap(PGConnection.class).getCopyAPI();
        long copied = 0;
        while (from < to) {
            Savepoint sp = pg.setSavepoint();
            try {
                copy.copyIn(sql, b.lines(from, to), 1 << 16);
                pg.releaseSavepoint(sp);
                return copied + (to - from);
            } catch (SQLException e) {
                pg.rollback(sp);
                if (DatabaseUnavailableException.isUnavailable(e)) {
                    throw e;
                }
                Matcher m = where(e);
                int line = m == null ? -1 : Integer.parseInt(m.group(1));
                if (line >= 1 && line <= to - from) {
                    int bad = from + line - 1;
                    if (bad > from) {
                        copied += copy(pg, sql, b, from, bad, rejects);
                    }
                    rejects.add(dbReject(b, bad, m.group(2), e));
                    from = bad + 1;
                } else if (to - from == 1) {
                    rejects.add(dbReject(b, from, null, e));
                    return copied;
                } else {
                    int mid = (from + to) >>> 1;
                    return copied + copy(pg, sql, b, from, mid, rejects) + copy(pg, sql, b, mid, to, rejects);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return copied;
    }

    private static Matcher where(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null && p.getServerErrorMessage().getWhere() != null) {
            Matcher m = COPY_LINE.matcher(p.getServerErrorMessage().getWhere());
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    private RejectRow dbReject(CopyBatch b, int row, String column, SQLException e) {
        refused.add(row);
        String reason = e.getMessage();
        String col = column;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            reason = m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
            if (col == null) {
                col = m.getColumn();
            }
        }
        return new RejectRow(SourceKeys.at(source, plan.source(), b.position(row)), col, b.line(row), reason);
    }

    private String format() {
        return binary != null ? " (FORMAT binary)" : "";
    }

    /** The staging column type of each kind: one with a binary form; the merge casts it to the target column's type. */
    static String stageType(dev.ferry.sqlite.convert.TargetKind kind) {
        return switch (kind) {
            case INTEGER -> "bigint";
            case DOUBLE -> "double precision";
            case REAL -> "real";
            case NUMERIC -> "numeric";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMPTZ -> "timestamptz";
            case TIMESTAMP -> "timestamp";
            case JSONB -> "jsonb";
            case BYTEA -> "bytea";
            case TEXT -> "text";
        };
    }

    private void createStage(Connection pg) throws SQLException {
        StringBuilder cols = new StringBuilder();
        for (ColumnPlan c : plan.columns()) {
            cols.append(TargetNames.quote(c.targetName())).append(' ').append(stageType(c.kind())).append(", ");
        }
        try (Statement st = pg.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp.ferry_stage");
            st.execute("CREATE TEMP TABLE ferry_stage (" + cols + "ferry_position bigint) ON COMMIT DELETE ROWS");
        }
        pg.commit();
    }

    private String stageCopySql() {
        return "COPY ferry_stage (" + plan.columnList() + ", ferry_position) FROM STDIN" + format();
    }

    /** The staged columns cast to the target's types, named as the target's columns. */
    private String castColumns() {
        StringBuilder sb = new StringBuilder();
        for (ColumnPlan c : plan.columns()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            String q = TargetNames.quote(c.targetName());
            sb.append("s.").append(q).append("::").append(c.targetType()).append(" AS ").append(q);
        }
        return sb.toString();
    }

    /** Merges staged rows [from, to) into the target; returns {inserted, updated}. Refused rows are narrowed down. */
    private long[] merge(Connection pg, CopyBatch b, int from, int to, List<RejectRow> rejects) throws SQLException {
        Savepoint sp = pg.setSavepoint();
        try (PreparedStatement ps = pg.prepareStatement(mergeSql())) {
            ps.setLong(1, b.position(from));
            ps.setLong(2, b.position(to - 1));
            ps.setLong(3, options.runId());
            ps.setString(4, plan.schema());
            ps.setString(5, plan.table());
            long[] out = new long[2];
            try (var rs = ps.executeQuery()) {
                rs.next();
                out[0] = rs.getLong(1);
                out[1] = rs.getLong(2);
            }
            pg.releaseSavepoint(sp);
            return out;
        } catch (SQLException e) {
            pg.rollback(sp);
            if (DatabaseUnavailableException.isUnavailable(e)) {
                throw e;
            }
            if (options.strategy() == ConflictStrategy.FAIL && "23505".equals(e.getSQLState())) {
                String detail = e instanceof PSQLException p && p.getServerErrorMessage() != null ? p.getServerErrorMessage().getDetail() : null;
                throw new ConflictException("conflict with a row already in " + plan.schema() + "." + plan.table() + ": "
                        + (detail != null ? detail : e.getMessage()));
            }
            if (to - from == 1) {
                rejects.add(dbReject(b, from, null, e));
                return new long[2];
            }
            int mid = (from + to) >>> 1;
            long[] a = merge(pg, b, from, mid, rejects);
            long[] c = merge(pg, b, mid, to, rejects);
            return new long[] {a[0] + c[0], a[1] + c[1]};
        }
    }

    private String mergeSql() {
        String cols = plan.columnList();
        String t = plan.qualified();
        String range = "s.ferry_position BETWEEN ? AND ?";
        List<String> key = plan.key();
        String keyJson = key.isEmpty() ? "to_jsonb(t.*)" : "jsonb_build_array(" + join(key, "t.") + ")";
        String record = "INSERT INTO ferry.sqlite_changes (run_id, target_schema, target_table, action, key, before) ";
        if (options.strategy() != ConflictStrategy.UPDATE || key.isEmpty()) {
            String onConflict = options.strategy() == ConflictStrategy.SKIP ? " ON CONFLICT DO NOTHING" : "";
            return "WITH ins AS (INSERT INTO " + t + " AS t (" + cols + ") SELECT " + castColumns()
                    + " FROM ferry_stage s WHERE " + range + " ORDER BY s.ferry_position" + onConflict + " RETURNING " + keyJson + " AS k), "
                    + "ch AS (" + record + "SELECT ?, ?, ?, 'insert', k, NULL FROM ins RETURNING 1) "
                    + "SELECT count(*), 0 FROM ch";
        }
        List<String> all = plan.columns().stream().map(ColumnPlan::targetName).toList();
        StringBuilder on = new StringBuilder();
        for (String k : key) {
            if (!on.isEmpty()) {
                on.append(" AND ");
            }
            on.append("t.").append(TargetNames.quote(k)).append(" = s.").append(TargetNames.quote(k));
        }
        StringBuilder set = new StringBuilder();
        for (String c : all) {
            if (key.contains(c)) {
                continue;
            }
            if (!set.isEmpty()) {
                set.append(", ");
            }
            set.append(TargetNames.quote(c)).append(" = EXCLUDED.").append(TargetNames.quote(c));
        }
        String conflict = set.isEmpty() ? " ON CONFLICT (" + join(key, "") + ") DO NOTHING"
                : " ON CONFLICT (" + join(key, "") + ") DO UPDATE SET " + set;
        return "WITH src AS (SELECT DISTINCT ON (" + join(key, "") + ") * FROM (SELECT " + castColumns()
                + ", s.ferry_position FROM ferry_stage s WHERE " + range + ") s ORDER BY " + join(key, "") + ", ferry_position DESC), "
                + "diff AS (SELECT " + join(all, "s.") + ", CASE WHEN t.ctid IS NULL THEN NULL ELSE to_jsonb(t.*) END AS before"
                + " FROM src s LEFT JOIN " + t + " t ON " + on
                + " WHERE t.ctid IS NULL OR (" + join(all, "t.") + ") IS DISTINCT FROM (" + join(all, "s.") + ")), "
                + "up AS (INSERT INTO " + t + " AS t (" + cols + ") SELECT " + join(all, "d.") + " FROM diff d" + conflict + " RETURNING 1), "
                + "ch AS (" + record + "SELECT ?, ?, ?, CASE WHEN d.before IS NULL THEN 'insert' ELSE 'update' END, jsonb_build_array("
                + join(key, "d.") + "), d.before FROM diff d RETURNING action) "
                + "SELECT count(*) FILTER (WHERE action = 'insert'), count(*) FILTER (WHERE action = 'update') FROM ch";
    }

    private static String join(List<String> cols, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String c : cols) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(prefix).append(TargetNames.quote(c));
        }
        return sb.toString();
    }

    private void saveRejects(Connection pg, List<RejectRow> rejects) throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = pg.prepareStatement("""
                INSERT INTO ferry.sqlite_rejects (run_id, source_table, source_key, column_name, value, reason)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (RejectRow r : rejects) {
                ps.setLong(1, options.runId());
                ps.setString(2, plan.label());
                ps.setString(3, r.sourceKey());
                ps.setString(4, r.column());
                ps.setString(5, r.value() == null ? null : r.value().replace("\0", "\\0"));
                ps.setString(6, r.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void checkpoint(Connection pg, TableCounts c, long read, long loaded, long updated, long skipped, long rejected, double secs,
                            long sourceCount, java.math.BigInteger sourceSum) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("""
                UPDATE ferry.sqlite_tables SET checkpoints = ?, watermark = coalesce(?, watermark), rows_read = rows_read + ?,
                       loaded = loaded + ?, updated = updated + ?, skipped = skipped + ?, rejected = rejected + ?, seconds = seconds + ?,
                       source_count = source_count + ?, source_sum = source_sum + ?
                WHERE run_id = ? AND source_table = ?""")) {
            ps.setArray(1, pg.createArrayOf("bigint", dev.ferry.sqlite.state.SqliteRunState.box(c.checkpoints)));
            ps.setString(2, c.watermark);
            ps.setLong(3, read);
            ps.setLong(4, loaded);
            ps.setLong(5, updated);
            ps.setLong(6, skipped);
            ps.setLong(7, rejected);
            ps.setDouble(8, secs);
            ps.setLong(9, sourceCount);
            ps.setBigDecimal(10, new java.math.BigDecimal(sourceSum));
            ps.setLong(11, options.runId());
            ps.setString(12, plan.label());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no checkpoint row for table " + plan.label() + " of run " + options.runId());
            }
        }
    }
}
