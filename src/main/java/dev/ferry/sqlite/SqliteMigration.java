package dev.ferry.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.RunStore;
import dev.ferry.core.ops.StopSignal;
import dev.ferry.core.ops.StoppingException;
import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.RowConverter;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.TablePlanner;
import dev.ferry.sqlite.read.SourceTable;
import dev.ferry.sqlite.read.SqliteSnapshot;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.report.MigrationResult;
import dev.ferry.sqlite.report.Progress;
import dev.ferry.sqlite.report.TableResult;
import dev.ferry.sqlite.state.SqliteRunState;
import dev.ferry.sqlite.validate.TableValidator;
import dev.ferry.sqlite.validate.ValidationResult;
import dev.ferry.sqlite.write.ConflictStrategy;
import dev.ferry.sqlite.write.TableCounts;
import dev.ferry.sqlite.write.TableDdl;
import dev.ferry.sqlite.write.TableLoader;
import dev.ferry.sqlite.write.TargetNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite migration, as the route calls it for every entry point (CLI, inbox,
 * schedule, JMX): reads the source's schema, plans each table with the cast rules and
 * mapping, loads the tables in foreign-key order (independent ones in parallel), builds
 * the indexes and foreign keys of the tables it created, validates, and records the run.
 * The same call does a dry run (read and convert everything, write nothing), a
 * validation only, a resume of an interrupted run, and an incremental sync.
 */
public final class SqliteMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteMigration.class);
    /** How often a waiting inbox file asks for its schema again. */
    private static final long SCHEMA_WAIT_MS = 500;

    private final Database db;
    private final RunStore runs;
    private final TablePlanner planner;
    private final SqliteSettings settings;
    private final long progressEvery;

    private final StopSignal stop;

    public SqliteMigration(Database db, RunStore runs, TablePlanner planner, SqliteSettings settings, long progressEvery, StopSignal stop) {
        this.stop = stop;
        this.db = db;
        this.runs = runs;
        this.planner = planner;
        this.settings = settings;
        this.progressEvery = progressEvery;
    }

    /**
     * What the caller asks for; nulls take the settings' defaults. waitForSchema: wait while another
     * migration writes into the target schema (the inbox, whose file can wait its turn) instead of
     * being refused (a command, a schedule).
     */
    public record Request(String file, String tables, String schema, String conflict, boolean resume, boolean dryRun,
                          boolean validateOnly, boolean incremental, boolean waitForSchema) {
    }

    /** The route's receive step: the caller's headers as one request; absent flags are false. */
    public Request receive(String file, String tables, String schema, String conflict, Boolean resume, Boolean dryRun,
                           Boolean validateOnly, Boolean incremental, Boolean waitForSchema) {
        return new Request(file, tables, schema, conflict, Boolean.TRUE.equals(resume), Boolean.TRUE.equals(dryRun),
                Boolean.TRUE.equals(validateOnly), Boolean.TRUE.equals(incremental), Boolean.TRUE.equals(waitForSchema));
    }

    /** Whether the file's last run into the schema (default one when null) was cut off: the inbox and the sync then resume it. */
    public boolean interrupted(String file, String schema) {
        String path = Path.of(file).toAbsolutePath().normalize().toString();
        try (Connection c = db.connection()) {
            return SqliteRunState.interrupted(c, path, blank(schema) ? settings.targetSchema() : schema).isPresent();
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("looking for an interrupted run of " + path, e);
        }
    }

    public MigrationResult run(Request req) {
        String mode = req.validateOnly() ? "validate-only" : req.dryRun() ? "dry-run" : req.incremental() ? "sync" : "migrate";
        String path = Path.of(req.file()).toAbsolutePath().normalize().toString();
        RunResult run = new RunResult(req.validateOnly() ? SqliteRunState.FLOW + "_validate" : SqliteRunState.FLOW, path, null, req.dryRun());
        MigrationResult result = new MigrationResult(run, mode);
        String schema = blank(req.schema()) ? settings.targetSchema() : req.schema();
        ConflictStrategy strategy = ConflictStrategy.of(blank(req.conflict()) ? (req.incremental() ? "update" : settings.conflict()) : req.conflict());
        SqliteSnapshot snapshot;
        List<SourceTable> selected;
        try {
            snapshot = SqliteSnapshot.of(new SqliteSource(Path.of(path), settings.pageReader()), settings.snapshotDir(), settings.pageReader());
        } catch (IllegalArgumentException e) {
            run.finish(RunStatus.INVALID, e.getMessage());
            recordOnly(run);
            return result;
        } catch (SQLException e) {
            return unreadable(run, result, path, e);
        }
        try (snapshot) {
            result.setSnapshot(snapshot.description());
            try {
                selected = select(snapshot.source().tables(), req.tables(), result);
            } catch (IllegalArgumentException e) {
                run.finish(RunStatus.INVALID, e.getMessage());
                recordOnly(run);
                return result;
            } catch (SQLException e) {
                return unreadable(run, result, path, e);
            }
            return migrate(req, path, run, result, schema, strategy, snapshot.source(), selected);
        }
    }

    /** SQLite refused the file as a whole: invalid, unless it was only locked (then the run failed, the file may be fine). */
    private MigrationResult unreadable(RunResult run, MigrationResult result, String path, SQLException e) {
        run.finish(SqliteSource.locked(e) ? RunStatus.FAILED : RunStatus.INVALID, SqliteSource.whyUnreadable(Path.of(path), e));
        recordOnly(run);
        return result;
    }

    private MigrationResult migrate(Request req, String path, RunResult run, MigrationResult result, String schema, ConflictStrategy strategy,
                                    SqliteSource source, List<SourceTable> selected) {
        DependencyOrder order = new DependencyOrder(selected);
        order.cycles().forEach(c -> result.getWarnings().add("foreign-key cycle between " + String.join(", ", c)
                + ": loaded in file order, foreign keys added after all data"));
        try (Connection control = db.connection()) {
            if (req.dryRun() || req.validateOnly()) {
                return migrateInSchema(control, req, path, run, result, schema, strategy, source, selected, order);
            }
            if (!SqliteRunState.claimSchema(control, schema) && !(req.waitForSchema() && awaitSchema(control, schema, path))) {
                String who = SqliteRunState.migrating(control, schema).orElse("another Ferry process");
                run.finish(RunStatus.REFUSED, "schema " + schema + " is being migrated into by " + who
                        + ": one SQLite migration per schema at a time; start this one again when that one has ended");
                runs.begin(control, run);
                runs.finish(control, run);
                LOG.warn("SQLite migration of {} refused: {}", path, run.getMessage());
                return result;
            }
            try {
                return migrateInSchema(control, req, path, run, result, schema, strategy, source, selected, order);
            } finally {
                SqliteRunState.releaseSchema(control, schema);
            }
        } catch (SQLException e) {
            run.finish(RunStatus.FAILED, e.getMessage());
            runs.finishAfterRollback(run);
            throw DatabaseUnavailableException.wrap("migrating " + path, e);
        } catch (StoppingException e) {
            run.finish(RunStatus.ABORTED, e.getMessage() + (req.dryRun() || run.getRunId() == null ? ""
                    : "; its committed batches were kept: continue with ferry sqlite --resume"));
            runs.finishAfterRollback(run);
            LOG.warn("SQLite run {} of {}: {}", run.getRunId(), path, run.getMessage());
            throw new StoppingException(run.getMessage());
        } catch (RuntimeException e) {
            if (DatabaseUnavailableException.isUnavailable(e)) {
                throw e;
            }
            LOG.error("SQLite migration of {} failed", path, e);
            run.finish(RunStatus.FAILED, e.getMessage());
            runs.finishAfterRollback(run);
            return result;
        }
    }

    /**
     * Waits for the schema, saying once who holds it; a stop ends the wait and leaves the file where it
     * is (no run was begun, nothing was written).
     */
    private boolean awaitSchema(Connection control, String schema, String path) throws SQLException {
        LOG.info("SQLite migration of {} waits for schema {}: {} is migrating into it", path, schema,
                SqliteRunState.migrating(control, schema).orElse("another Ferry process"));
        while (true) {
            stop.check("the SQLite migration of " + path + ", waiting for schema " + schema + ",");
            try {
                Thread.sleep(SCHEMA_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoppingException("interrupted while the SQLite migration of " + path + " waited for schema " + schema);
            }
            if (SqliteRunState.claimSchema(control, schema)) {
                LOG.info("SQLite migration of {}: schema {} is free, starting", path, schema);
                return true;
            }
        }
    }

    /** The migration proper, once the schema is this session's (a dry run and a validation claim nothing). */
    private MigrationResult migrateInSchema(Connection control, Request req, String path, RunResult run, MigrationResult result,
                                            String schema, ConflictStrategy strategy, SqliteSource source, List<SourceTable> selected,
                                            DependencyOrder order) throws SQLException {
        Optional<Long> interrupted = req.dryRun() || req.validateOnly() ? Optional.empty()
                : SqliteRunState.interrupted(control, path, schema);
        if (req.resume() && interrupted.isEmpty()) {
            run.finish(RunStatus.REFUSED, "nothing to resume: the last run of " + path + " into schema " + schema + " was not interrupted");
            runs.begin(control, run);
            runs.finish(control, run);
            return result;
        }
        if (!req.resume() && interrupted.isPresent()) {
            run.finish(RunStatus.REFUSED, "run " + interrupted.get() + " of this file was interrupted: continue it with --resume, "
                    + "or undo it with ferry rollback --run " + interrupted.get());
            runs.begin(control, run);
            runs.finish(control, run);
            return result;
        }
        Map<String, SqliteRunState.TableState> saved = Map.of();
        if (req.resume()) {
            run.setRunId(interrupted.get());
            SqliteRunState.reopen(control, run.getRunId());
            saved = SqliteRunState.tables(control, run.getRunId());
            LOG.info("Resuming run {} of {} after its last committed batches", run.getRunId(), path);
        } else {
            runs.begin(control, run);
        }
        Map<String, TablePlan> plans = new LinkedHashMap<>();
        for (String name : order.order()) {
            SourceTable t = selected.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            SqliteRunState.TableState st = saved.get(name);
            // a table this run created is planned as new again, not as the existing table it now is
            plans.put(name, planner.plan(st != null && st.created() ? null : control, t, schema));
        }
        for (TablePlan p : plans.values()) {
            if (p.columns().size() > MAX_COLUMNS) {
                // PostgreSQL would refuse the CREATE TABLE; the other tables still load
                TableResult tr = tableResult(result, p);
                tr.status = "failed";
                tr.message = String.format("has %,d columns and PostgreSQL allows at most %,d in a table: not loaded"
                        + " (split it in SQLite, or leave it out with --tables)", p.columns().size(), MAX_COLUMNS);
            }
        }
        if (!req.dryRun() && !req.validateOnly()) {
            try (Statement s = control.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + TargetNames.quote(schema));
            }
        }
        if (req.validateOnly()) {
            ValidationResult v = validate(control, source, plans, path, null);
            result.setValidation(v);
            for (TablePlan p : plans.values()) {
                TableResult tr = tableResult(result, p);
                tr.status = "validated";
            }
            run.finish(v.isOk() ? RunStatus.COMPLETED : RunStatus.INVALID, v.isOk() ? "source and target agree"
                    : "source and target differ: see the validation");
            runs.finish(control, run);
            return result;
        }
        load(control, source, order, plans, saved, strategy, req, result, path);
        finish(control, run, result, req.dryRun());
        return result;
    }

    private void load(Connection control, SqliteSource source, DependencyOrder order, Map<String, TablePlan> plans,
                      Map<String, SqliteRunState.TableState> saved, ConflictStrategy strategy, Request req, MigrationResult result,
                      String path) throws SQLException {
        Progress progress = new Progress(System.console() != null, progressEvery, System.err);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.parallelTables()), r -> {
            Thread t = new Thread(r, "ferry-sqlite-table");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, CompletableFuture<Void>> done = new HashMap<>();
        ValidationResult validation = req.dryRun() ? null : new ValidationResult();
        long validationStart = System.nanoTime();
        try {
            for (String name : order.order()) {
                TablePlan plan = plans.get(name);
                TableResult tr = tableResult(result, plan);
                CompletableFuture<?>[] parents = order.effectiveParents(name).stream().map(done::get).toArray(CompletableFuture[]::new);
                done.put(name, CompletableFuture.allOf(parents).thenRunAsync(() -> {
                    if (stop.get()) {
                        tr.status = "not started";
                        return;
                    }
                    if ("failed".equals(tr.status)) {
                        return; // refused while planning
                    }
                    try {
                        loadTable(source, plan, saved.get(name), strategy, req, tr, result.getRun().getRunId(), path, progress, validation);
                        if ("failed".equals(tr.status) && strategy == ConflictStrategy.FAIL && tr.message != null
                                && tr.message.startsWith("conflict")) {
                            stop.set(true);
                        }
                    } catch (SQLException e) {
                        String unreadable = unreadableSource(e, path);
                        if (unreadable == null) {
                            throw new CompletionException(e);
                        }
                        failUnreadable(plan, tr, result.getRun().getRunId(), unreadable, req.dryRun());
                    } catch (InterruptedException e) {
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            try {
                CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                Throwable c = e.getCause();
                if (c instanceof SQLException s) {
                    throw s;
                }
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
            }
        } finally {
            pool.shutdownNow();
        }
        if (req.dryRun()) {
            double est = 0;
            for (TableResult t : result.getTables()) {
                est += Math.max(t.seconds, t.sourceRows / settings.estimateRowsPerSecond());
            }
            result.setEstimatedSeconds(est);
            return;
        }
        // foreign keys once every table's data is in: a child row never waits for its parent
        for (TablePlan p : plans.values()) {
            TableResult tr = result.table(p.label());
            if (!tr.created || !"loaded".equals(tr.status)) {
                continue;
            }
            for (var fk : p.source().foreignKeys()) {
                TablePlan parent = plans.values().stream().filter(x -> x.source().name().equalsIgnoreCase(fk.parentTable())).findFirst()
                        .orElse(null);
                if (parent == null) {
                    tr.notes.add("foreign key to " + fk.parentTable() + " not created: that table was not migrated");
                }
            }
            for (TablePlan parent : plans.values()) {
                tr.notes.addAll(TableDdl.addForeignKeys(control, p, parent, planner));
            }
        }
        for (ValidationResult.TableCheck check : validation.getTables()) {
            TablePlan p = plans.get(check.table);
            foreignKeyIntegrity(control, p, plans, check);
        }
        validation.setSeconds((System.nanoTime() - validationStart) / 1e9);
        validation.getTables().sort((a, b) -> Integer.compare(order.order().indexOf(a.table), order.order().indexOf(b.table)));
        result.setValidation(validation);
    }

    private void loadTable(SqliteSource source, TablePlan plan, SqliteRunState.TableState saved, ConflictStrategy strategy, Request req,
                           TableResult tr, Long runId, String path, Progress progress, ValidationResult validation)
            throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        RowConverter converter = new RowConverter(plan.columns(), settings.zone());
        TableCounts counts = saved != null ? saved.counts() : new TableCounts();
        String condition = null;
        List<Object> params = new ArrayList<>();
        int watermarkIndex = -1;
        try (Connection pg = db.connection(); Connection src = source.open()) {
            tr.sourceRows = source.count(src, plan.source());
            if (saved != null && !"loading".equals(saved.status())) {
                copy(counts, tr);
                tr.status = saved.status();
                tr.message = saved.message();
                tr.seconds = counts.seconds;
                if ("loaded".equals(saved.status()) && validation != null) {
                    validateTable(pg, source, plan, converter, path, validation, saved.created() && !req.incremental() ? runId : null);
                }
                return;
            }
            if (req.incremental() && saved == null) {
                Optional<String> wm = planner.mapping().watermark(plan.source().name());
                Optional<TableCounts> last = plan.exists() ? SqliteRunState.lastSync(pg, path, plan.schema(), plan.label()) : Optional.empty();
                if (wm.isPresent()) {
                    watermarkIndex = plan.source().columns().indexOf(plan.source().column(wm.get()));
                    if (last.isPresent() && last.get().watermark != null) {
                        condition = SqliteSource.quote(plan.source().column(wm.get()).name()) + " > ?";
                        params.add(typed(last.get().watermark));
                        counts.watermark = last.get().watermark;
                    }
                } else if (last.isPresent()) {
                    counts.checkpoints = new long[] {last.get().highest()};
                }
                tr.notes.add(wm.map(w -> "incremental by " + w).orElse("incremental by rowid")
                        + last.map(l -> " after " + (wm.isPresent() ? l.watermark : "rowid " + l.highest())).orElse(" (first sync: every row)"));
            }
            if (req.incremental() && saved != null) {
                Optional<String> wm = planner.mapping().watermark(plan.source().name());
                if (wm.isPresent()) {
                    watermarkIndex = plan.source().columns().indexOf(plan.source().column(wm.get()));
                }
            }
            if (saved == null && condition == null && plan.source().hasRowid()) {
                // a big table is read in parallel rowid ranges: reading SQLite costs more CPU than writing PostgreSQL
                Segments.split(src, plan.source(), counts, tr.sourceRows, settings.readersPerTable(), settings.batchRows());
            }
            boolean created = saved != null ? saved.created() : !plan.exists();
            tr.created = created;
            tr.target = plan.schema() + "." + plan.table();
            if (req.dryRun()) {
                tr.ddl = plan.exists() ? null : TableDdl.createTable(plan);
            } else if (saved == null) {
                pg.setAutoCommit(false);
                if (created) {
                    try (Statement st = pg.createStatement()) {
                        st.execute(TableDdl.createTable(plan));
                    }
                }
                SqliteRunState.start(pg, runId, plan, created, strategy, tr.sourceRows, counts);
                pg.commit();
                pg.setAutoCommit(true);
            }
            ValidationResult.TableCheck earlyCheck = null;
            TableLoader loader = new TableLoader(source, plan, converter, new TableLoader.Options(runId == null ? 0 : runId, strategy,
                    settings.batchRows(), settings.queueBatches(), settings.maxRejectRatio(), settings.keepRejects(), req.dryRun(), stop),
                    watermarkIndex);
            progress.started(plan);
            String failure = loader.load(pg, counts, tr.sourceRows, condition, params, progress);
            pg.setAutoCommit(true);
            copy(counts, tr);
            tr.seconds = (System.nanoTime() - t0) / 1e9;
            tr.reader = source.reader(plan.source().name());
            if (failure != null) {
                tr.status = "failed";
                tr.message = failure;
            } else {
                tr.status = req.dryRun() ? "dry-run" : "loaded";
                if (created && !req.dryRun()) {
                    // the target side of the validation reads the table while its indexes are built (two cores, two jobs)
                    long rejectedBefore = tr.rejected;
                    CompletableFuture<ValidationResult.TableCheck> early = validation == null ? null
                            : checkAside(source, plan, converter, path, !req.incremental() ? runId : null);
                    long i0 = System.nanoTime();
                    try {
                        tr.notes.addAll(TableDdl.buildIndexes(pg, db::connection, plan, planner, runId));
                    } finally {
                        tr.indexSeconds = (System.nanoTime() - i0) / 1e9;
                        if (early != null) {
                            early.exceptionally(e -> null).join();
                        }
                    }
                    reloadCounts(pg, runId, tr);
                    if (early != null && tr.rejected == rejectedBefore) {
                        earlyCheck = joinCheck(early);
                    }
                }
            }
            if (!req.dryRun()) {
                SqliteRunState.end(pg, runId, plan.label(), tr.status, tr.message, tr.seconds + (saved == null ? 0 : saved.counts().seconds));
                if (validation != null && "loaded".equals(tr.status)) {
                    if (earlyCheck != null) {
                        synchronized (validation) {
                            validation.getTables().add(earlyCheck);
                        }
                    } else {
                        validateTable(pg, source, plan, converter, path, validation, created && !req.incremental() ? runId : null);
                    }
                }
            }
        }
    }

    /** {@link #check} on a connection and thread of its own. */
    private CompletableFuture<ValidationResult.TableCheck> checkAside(SqliteSource source, TablePlan plan, RowConverter converter, String path,
                                                                     Long summedBy) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection v = db.connection()) {
                return check(v, source, plan, converter, path, summedBy);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "ferry-validate-" + plan.label());
            t.setDaemon(true);
            t.start();
        });
    }

    private static ValidationResult.TableCheck joinCheck(CompletableFuture<ValidationResult.TableCheck> f) throws SQLException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
    }

    private static Object typed(String watermark) {
        try {
            return Long.parseLong(watermark);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(watermark);
            } catch (NumberFormatException e2) {
                return watermark;
            }
        }
    }

    /**
     * Validates one table. For a table this run created and loaded whole ({@code summedBy} is the run), the
     * source side was summed while loading and is not read again unless the sides differ.
     */
    private void validateTable(Connection pg, SqliteSource source, TablePlan plan, RowConverter converter, String path,
                               ValidationResult validation, Long summedBy) throws SQLException {
        ValidationResult.TableCheck check = check(pg, source, plan, converter, path, summedBy);
        synchronized (validation) {
            validation.getTables().add(check);
        }
    }

    private ValidationResult.TableCheck check(Connection pg, SqliteSource source, TablePlan plan, RowConverter converter, String path,
                                              Long summedBy) throws SQLException {
        java.util.Set<String> rejected = SqliteRunState.rejectedKeys(pg, SqliteRunState.runsThatLoaded(pg, path, plan.schema(), plan.label()),
                plan.label());
        TableValidator validator = new TableValidator(source);
        ValidationResult.TableCheck check = null;
        if (summedBy != null) {
            Object[] known = SqliteRunState.sourceSum(pg, summedBy, plan.label());
            if (known != null) {
                check = validator.check(pg, plan, converter, rejected, (java.math.BigInteger) known[1], (Long) known[0]);
            }
        }
        if (check == null || !check.ok()) {
            check = validator.check(pg, plan, converter, rejected);
        }
        return check;
    }

    private ValidationResult validate(Connection control, SqliteSource source, Map<String, TablePlan> plans, String path,
                                      Object unused) throws SQLException {
        ValidationResult v = new ValidationResult();
        long t0 = System.nanoTime();
        for (TablePlan p : plans.values()) {
            if (!p.exists()) {
                ValidationResult.TableCheck check = new ValidationResult.TableCheck();
                check.table = p.label();
                check.target = p.schema() + "." + p.table();
                check.error = "not in the target";
                v.getTables().add(check);
                continue;
            }
            validateTable(control, source, p, new RowConverter(p.columns(), settings.zone()), path, v, null);
        }
        for (ValidationResult.TableCheck check : v.getTables()) {
            if (check.error == null) {
                foreignKeyIntegrity(control, plans.get(check.table), plans, check);
            }
        }
        v.setSeconds((System.nanoTime() - t0) / 1e9);
        return v;
    }

    /** Child rows whose parent key is not in the target, per foreign key of the source. */
    private void foreignKeyIntegrity(Connection pg, TablePlan child, Map<String, TablePlan> plans, ValidationResult.TableCheck check)
            throws SQLException {
        for (var fk : child.source().foreignKeys()) {
            TablePlan parent = plans.values().stream().filter(x -> x.source().name().equalsIgnoreCase(fk.parentTable())).findFirst().orElse(null);
            if (parent == null) {
                continue;
            }
            List<String> cols = planner.targetNames(child.source(), fk.columns());
            List<String> pcols = fk.parentColumns().isEmpty() ? planner.targetNames(parent.source(), parent.source().primaryKey())
                    : planner.targetNames(parent.source(), fk.parentColumns());
            if (pcols.size() != cols.size()) {
                continue;
            }
            StringBuilder notNull = new StringBuilder();
            StringBuilder match = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                notNull.append(i == 0 ? "" : " AND ").append("c.").append(TargetNames.quote(cols.get(i))).append(" IS NOT NULL");
                match.append(i == 0 ? "" : " AND ").append("p.").append(TargetNames.quote(pcols.get(i))).append(" = c.")
                        .append(TargetNames.quote(cols.get(i)));
            }
            try (Statement st = pg.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM " + child.qualified() + " c WHERE " + notNull + " AND NOT EXISTS (SELECT 1 FROM "
                         + parent.qualified() + " p WHERE " + match + ")")) {
                rs.next();
                long orphans = rs.getLong(1);
                if (orphans > 0) {
                    check.orphanRows += orphans;
                    check.foreignKeyProblems.add(orphans + " row(s) whose (" + String.join(", ", cols) + ") is not in " + parent.table());
                }
            } catch (SQLException e) {
                check.foreignKeyProblems.add("foreign key to " + parent.table() + " not checked: " + e.getMessage());
            }
        }
    }

    /** PostgreSQL's limit on the columns of a table. */
    static final int MAX_COLUMNS = 1600;

    /**
     * What to tell the user when {@code e} came from reading the SQLite file (not from PostgreSQL):
     * SQLite's own words, and for a damaged file what may save its rows. Null for any other error.
     */
    static String unreadableSource(Throwable e, String path) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.sqlite.SQLiteException s) {
                String code = s.getResultCode() == null ? "" : s.getResultCode().name();
                String words = s.getMessage().replaceFirst("^\\[[A-Z_]+\\]\\s*", "");
                if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
                    return "SQLite says: " + words + ". The file is damaged; `sqlite3 " + path + " .recover | sqlite3 recovered.db`"
                            + " saves what is left of it into a new file to migrate";
                }
                return "SQLite says: " + words;
            }
            if (c instanceof dev.ferry.sqlite.read.DamagedFileException d) {
                return d.getMessage() + ". `sqlite3 " + path + " .recover | sqlite3 recovered.db` saves what is left of it into a new file";
            }
        }
        return null;
    }

    /** A table whose rows cannot be read: failed with the reason, its committed batches kept (a rollback undoes them). */
    private void failUnreadable(TablePlan plan, TableResult tr, Long runId, String why, boolean dryRun) {
        tr.status = "failed";
        tr.message = "cannot read it from the SQLite file: " + why;
        LOG.error("{}: {}", plan.source().name(), tr.message);
        if (dryRun || runId == null) {
            return;
        }
        try (Connection pg = db.connection()) {
            SqliteRunState.TableState st = SqliteRunState.tables(pg, runId).get(plan.source().name());
            if (st != null) {
                copy(st.counts(), tr);
            }
            SqliteRunState.end(pg, runId, plan.label(), tr.status, tr.message, tr.seconds);
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("recording that " + plan.source().name() + " could not be read", e);
        }
    }

    private static void reloadCounts(Connection pg, Long runId, TableResult tr) throws SQLException {
        try (var ps = pg.prepareStatement("SELECT loaded, rejected FROM ferry.sqlite_tables WHERE run_id = ? AND source_table = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, tr.table);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    tr.loaded = rs.getLong(1);
                    tr.rejected = rs.getLong(2);
                }
            }
        }
    }

    private static void copy(TableCounts c, TableResult tr) {
        tr.read = c.read;
        tr.loaded = c.loaded;
        tr.updated = c.updated;
        tr.skipped = c.skipped;
        tr.rejected = c.rejected;
        tr.firstRejects.clear();
        tr.firstRejects.addAll(c.firstRejects);
    }

    private TableResult tableResult(MigrationResult result, TablePlan p) {
        TableResult tr = result.table(p.label());
        if (tr == null) {
            tr = new TableResult();
            tr.table = p.label();
            result.getTables().add(tr);
        }
        tr.target = p.schema() + "." + p.table();
        tr.created = !p.exists();
        tr.columns.clear();
        for (ColumnPlan c : p.columns()) {
            tr.columns.add(c.sourceName() + " -> " + c.targetName() + " " + c.targetType() + " using " + c.transform().name().toLowerCase(Locale.ROOT)
                    + (c.fill() != null ? " (NULL becomes '" + c.fill() + "')" : "") + " [" + c.rule() + "]");
        }
        return tr;
    }

    private void finish(Connection control, RunResult run, MigrationResult result, boolean dryRun) throws SQLException {
        long read = 0;
        long loaded = 0;
        long skipped = 0;
        long rejected = 0;
        List<String> failed = new ArrayList<>();
        for (TableResult t : result.getTables()) {
            if (t.view) {
                continue;
            }
            read += t.read;
            loaded += t.loaded + t.updated;
            skipped += t.skipped;
            rejected += t.rejected;
            if ("failed".equals(t.status)) {
                failed.add(t.table + " (" + t.message + ")");
            }
        }
        run.setRecordsRead(read);
        run.setLoaded(loaded);
        run.setDuplicates(skipped);
        run.setRejected(rejected);
        String msg;
        if (!failed.isEmpty()) {
            msg = "failed: " + String.join("; ", failed);
        } else if (dryRun) {
            msg = "dry run: nothing written; estimated " + Math.round(result.getEstimatedSeconds()) + " s";
        } else {
            ValidationResult v = result.getValidation();
            msg = v == null ? null : v.isOk() ? "validated: source and target agree" : "VALIDATION FAILED: source and target differ";
        }
        run.finish(failed.isEmpty() ? RunStatus.COMPLETED : RunStatus.FAILED, msg);
        runs.finish(control, run);
    }

    private void recordOnly(RunResult run) {
        try (Connection c = db.connection()) {
            RunStatus status = run.getStatus();
            String msg = run.getMessage();
            runs.begin(c, run);
            run.finish(status, msg);
            runs.finish(c, run);
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("recording a run", e);
        }
    }

    private List<SourceTable> select(List<SourceTable> all, String tables, MigrationResult result) {
        List<SourceTable> out = new ArrayList<>();
        List<String> wanted = blank(tables) ? List.of() : Arrays.stream(tables.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String w : wanted) {
            if (all.stream().noneMatch(t -> t.name().equalsIgnoreCase(w))) {
                throw new IllegalArgumentException("no table or view '" + w + "' in the source (it has: "
                        + String.join(", ", all.stream().map(SourceTable::name).toList()) + ")");
            }
        }
        for (SourceTable t : all) {
            boolean asked = wanted.stream().anyMatch(w -> w.equalsIgnoreCase(t.name()));
            if (!wanted.isEmpty() && !asked) {
                continue;
            }
            if (t.view() && !asked && !settings.copyViews()) {
                TableResult tr = new TableResult();
                tr.table = t.name();
                tr.view = true;
                tr.status = "view, not copied";
                result.getTables().add(tr);
                result.getWarnings().add("view " + t.name() + " listed, not copied (name it in --tables, or set ferry.sqlite.copy-views)");
                continue;
            }
            t.warnings().forEach(w -> result.getWarnings().add(t.name() + ": " + w));
            out.add(t);
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
