package dev.ferry.portfolio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.core.db.Database;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.RollbackRequest;
import dev.ferry.core.runs.RunStore;
import dev.ferry.core.schema.OnlinePolicy;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.SchemaTarget;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.portfolio.read.PortfolioInspector;
import dev.ferry.portfolio.report.PortfolioResult;
import dev.ferry.portfolio.state.PortfolioJob;
import dev.ferry.portfolio.transform.PortfolioMerge;
import dev.ferry.portfolio.validate.PortfolioValidator;
import dev.ferry.portfolio.write.PortfolioBackup;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's single → multi-portfolio migration as the route calls it: receive (the
 * request), inspect (version from the engine's history, or 1.0 recognised from the catalog and
 * baselined; features, health, what stops phase 2), apply (backup, then the schema project's
 * online versions, or the merge and the undo) and validate. The schema changes themselves are
 * the project config/schema/portfolio on the schema engine; this class holds only what a
 * project cannot: the backup, the refusals, the merge and the report.
 */
public final class PortfolioMigration {

    private static final Logger LOG = LoggerFactory.getLogger(PortfolioMigration.class);
    public static final String FLOW = "portfolio";
    public static final String PHASE1 = "2.0.0";
    public static final String PHASE2 = "3.0.0";
    public static final String SINGLE = "1.0.0";
    /** How the engine notes an online version's retries (SchemaEngine.noteRetries). */
    private static final Pattern ENGINE_RETRIES = Pattern.compile("(\\d+) statement attempt\\(s\\) timed out waiting for a lock");

    private final FerrySettings settings;
    private final Database ferryDb;
    private final RunStore runs;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public PortfolioMigration(FerrySettings settings, Database ferryDb, RunStore runs) {
        this.settings = settings;
        this.ferryDb = ferryDb;
        this.runs = runs;
    }

    // ---- receive ------------------------------------------------------------------------------

    public PortfolioRequest request(String command, String target, Boolean dryRun, Boolean confirm, String to) {
        return new PortfolioRequest(command, target == null || target.isBlank() ? null : target, Boolean.TRUE.equals(dryRun), Boolean.TRUE.equals(confirm),
                to == null || to.isBlank() ? null : to.strip());
    }

    /** A request file that could not be read: refused, naming the file and why. */
    public PortfolioResult refused(String file, Throwable why) {
        return new PortfolioResult("request", Path.of(file).getFileName().toString(), false).refuse(RollbackRequest.reason(why)).finish();
    }

    // ---- inspect ------------------------------------------------------------------------------

    public PortfolioJob inspect(PortfolioRequest r) {
        String url = r.target() != null ? r.target() : settings.string("ferry.portfolio.url", settings.dbUrl());
        SchemaTarget target = new SchemaTarget(url, settings.dbUser(), settings.dbPassword().orElse(null));
        PortfolioResult result = new PortfolioResult(r.command(), target.safeUrl(), r.dryRun());
        PortfolioJob job = new PortfolioJob(r, target, engine(target), result);
        if (!PortfolioRequest.COMMANDS.contains(r.command())) {
            result.refuse("unknown portfolio command " + r.command() + "; one of check, phase1, phase2, rollback");
            return job;
        }
        if (url.toLowerCase().contains("password=")) {
            result.refuse("the target URL holds a password: give it in FERRY_DB_PASSWORD or its file, so it never shows in a process list or a log");
            return job;
        }
        if (!oneAtATime.tryLock()) {
            result.refuse("another portfolio command is running in this process; try again when it has finished");
            return job;
        }
        try {
            describe(job, true);
        } catch (RuntimeException e) {
            oneAtATime.unlock();
            throw e;
        }
        if (result.stopped()) {
            oneAtATime.unlock();
        }
        return job;
    }

    /** Version, features, health and the next step, into the result; with adopt, a 1.0 that never saw Ferry is baselined. */
    private void describe(PortfolioJob job, boolean adopt) {
        PortfolioResult r = job.result();
        SchemaProject project = project();
        SchemaResult status = job.engine().status(project);
        if (!status.getErrors().isEmpty()) {
            r.fail(String.join("; ", status.getErrors()));
            return;
        }
        String version = status.getCurrentVersion();
        String source = "the schema history (ferry_schema)";
        if (version == null && adopt && recognised(job)) {
            SchemaResult b = job.engine().baseline(project);
            if (!b.getErrors().isEmpty()) {
                r.fail(String.join("; ", b.getErrors()));
                return;
            }
            version = b.getCurrentVersion();
            if (version != null) {
                source = "recognised from the catalog and baselined (" + String.join("; ", b.getNotes()) + ")";
                r.getNotes().addAll(b.getNotes());
            }
        }
        r.getFeatures().clear();
        r.getHealth().clear();
        r.getBlockers().clear();
        r.getNext().clear();
        try (Connection c = job.target().connect()) {
            if (version == null) {
                source = "not recognised: " + PortfolioInspector.unrecognised(c);
            }
            r.setVersion(version);
            if (r.getFromVersion() == null) {
                r.setFromVersion(version);
            }
            r.setVersionSource(source);
            r.getFeatures().addAll(PortfolioInspector.features(c));
            r.getHealth().addAll(PortfolioInspector.health(c, r.getBlockers()));
            List<String> backups = PortfolioInspector.backups(c);
            if (!backups.isEmpty() && "check".equals(r.getCommand())) {
                r.getNotes().add("backups kept from earlier phases: " + backups + " (drop one with DROP SCHEMA name CASCADE once you no longer need it)");
            }
        } catch (SQLException e) {
            r.fail("cannot read " + job.target().safeUrl() + ": " + e.getMessage());
            return;
        }
        next(r);
    }

    /** Whether the catalog is the dashboard's own 1.0: only then does the check write the baseline (a check elsewhere writes nothing). */
    private static boolean recognised(PortfolioJob job) {
        try (Connection c = job.target().connect()) {
            return PortfolioInspector.baseline().detect(c).isPresent();
        } catch (SQLException e) {
            return false;
        }
    }

    private static void next(PortfolioResult r) {
        String v = r.getVersion();
        if (v == null) {
            r.getNext().add("this is not a database Ferry can migrate: point --target at the dashboard's database");
        } else if (v.equals(SINGLE)) {
            r.getNext().add("ferry portfolio phase1: adds multi-portfolio support online; the running application keeps working unchanged");
        } else if (v.equals(PHASE1)) {
            if (!r.getBlockers().isEmpty()) {
                r.getNext().add("fix the rows listed under health before phase 2; phase 2 refuses while they are there");
            } else {
                r.getNext().add("switch the application to portfolio-aware writes (ON CONFLICT (portfolio_id, symbol), portfolio_id in its inserts), "
                        + "then ferry portfolio phase2 --confirm");
            }
            r.getNext().add("or ferry portfolio rollback --confirm: back to 1.0 (try --dry-run first)");
        } else if (v.equals(PHASE2)) {
            r.getNext().add("complete: nothing to do. ferry portfolio rollback --dry-run shows how portfolios would merge back into one");
        }
    }

    // ---- apply --------------------------------------------------------------------------------

    public PortfolioJob apply(PortfolioJob job) {
        if (job.result().stopped()) {
            return job;
        }
        PortfolioResult r = job.result();
        PortfolioRequest req = job.request();
        try {
            switch (req.command()) {
                case "check" -> {
                }
                case "phase1" -> phase1(job);
                case "phase2" -> phase2(job);
                case "rollback" -> rollback(job);
                default -> throw new IllegalStateException(req.command());
            }
        } catch (SQLException | RuntimeException e) {
            r.fail(req.command() + " stopped: " + Database.rootMessage(e));
            LOG.warn("portfolio {} of {} failed", req.command(), job.target().safeUrl(), e);
        }
        return job;
    }

    private void phase1(PortfolioJob job) throws SQLException {
        PortfolioResult r = job.result();
        if (!expect(r, SINGLE, "phase 1 starts from the single-portfolio 1.0")) {
            return;
        }
        if (job.request().dryRun()) {
            plan(r, job.engine().migrate(project(), PHASE1, true, false));
            r.getNotes().add("before it, the backup: portfolios (if any), portfolio_positions, trading_signals and price_history copied into "
                    + "ferry_backup_<run>, from one snapshot");
            return;
        }
        String backup = begin(job, true);
        applied(r, job.engine().migrate(project(), PHASE1, false, false));
        if (!r.stopped()) {
            r.getNotes().add("the old application keeps working: ON CONFLICT (symbol), updates by symbol and inserts of signals and prices by "
                    + "symbol all still succeed; its new rows get their portfolio_id from the trigger ferry_portfolio_fill");
        }
        r.getNotes().add("backup " + backup + " kept");
    }

    private void phase2(PortfolioJob job) throws SQLException {
        PortfolioResult r = job.result();
        if (!expect(r, PHASE1, "phase 2 starts from 2.0 (run phase1 first)")) {
            return;
        }
        if (!r.getBlockers().isEmpty()) {
            r.refuse("phase 2 would fail on " + r.getBlockers().size() + " problem(s), so nothing was changed: " + String.join("; ", r.getBlockers()));
            return;
        }
        String warning = "after phase 2 the single-portfolio application's INSERT … ON CONFLICT (symbol) fails (UNIQUE (symbol) is replaced by "
                + "UNIQUE (portfolio_id, symbol)); switch it to ON CONFLICT (portfolio_id, symbol) first";
        r.getWarnings().add(warning);
        if (job.request().dryRun()) {
            plan(r, job.engine().migrate(project(), PHASE2, true, false));
            return;
        }
        if (!job.request().confirm()) {
            r.refuse("phase 2 needs confirming (--confirm, or --yes in scripts; \"confirm\": true in a request file): " + warning);
            return;
        }
        begin(job, false);
        applied(r, job.engine().migrate(project(), PHASE2, false, false));
    }

    /** The version a rollback goes back to: 1.0 unless the request says 2.0. */
    static String rollbackTo(PortfolioRequest r) {
        if (r.to() == null || Set.of("1", "1.0", SINGLE).contains(r.to())) {
            return SINGLE;
        }
        if (Set.of("2", "2.0", PHASE1).contains(r.to())) {
            return PHASE1;
        }
        throw new IllegalArgumentException("rollback goes back to 1.0.0 or 2.0.0, not " + r.to());
    }

    private void rollback(PortfolioJob job) throws SQLException {
        PortfolioResult r = job.result();
        String to;
        try {
            to = rollbackTo(job.request());
        } catch (IllegalArgumentException e) {
            r.refuse(e.getMessage());
            return;
        }
        if (SINGLE.equals(r.getVersion()) || (PHASE1.equals(to) && PHASE1.equals(r.getVersion()))) {
            r.getNotes().add("nothing to roll back: the database is at " + r.getVersion() + " already");
            return;
        }
        if (!PHASE1.equals(r.getVersion()) && !PHASE2.equals(r.getVersion())) {
            r.refuse("rollback starts from 2.0 or 3.0; the database is at " + (r.getVersion() == null ? "an unrecognised state" : r.getVersion()));
            return;
        }
        try (Connection c = job.target().connect()) {
            PortfolioMerge.Plan plan = PortfolioMerge.plan(c, false);
            describe(plan, r);
        }
        if (job.request().dryRun()) {
            plan(r, job.engine().undo(project(), to, true, false));
            return;
        }
        if (!job.request().confirm()) {
            r.refuse("rollback needs confirming (--confirm, or --yes in scripts; \"confirm\": true in a request file): it merges every portfolio "
                    + "into " + r.getKeptPortfolio() + " and removes portfolios and portfolio_id; look first with --dry-run");
            return;
        }
        String backup = begin(job, true);
        OnlinePolicy policy = online();
        try (Connection c = job.target().connect()) {
            PortfolioMerge.Plan done = policy.inTransaction(c, tx -> {
                PortfolioMerge.Plan p = PortfolioMerge.plan(tx, true);
                PortfolioMerge.apply(tx, p);
                return p;
            });
            r.getMerge().clear();
            describe(done, r);
        } finally {
            retried(r, "the merge", policy.takeRetries());
        }
        applied(r, job.engine().undo(project(), to, false, false));
        if (PHASE1.equals(to) && !r.stopped()) {
            r.getNotes().add("at 2.0 both kinds of writes work: switch the application back to single-portfolio writes, then ferry portfolio rollback --confirm");
        }
        r.getNotes().add("backup " + backup + " kept: the rows as they were before the merge");
    }

    private static void describe(PortfolioMerge.Plan plan, PortfolioResult r) {
        r.setKeptPortfolio(plan.kept());
        r.setPositionsMoved(plan.moved());
        r.getMerge().addAll(plan.groups());
    }

    /** The version the command starts from; refused (naming both) when it is another. */
    private static boolean expect(PortfolioResult r, String version, String why) {
        if (version.equals(r.getVersion())) {
            return true;
        }
        if (PHASE2.equals(r.getVersion()) || (PHASE1.equals(r.getVersion()) && SINGLE.equals(version))) {
            r.getNotes().add("nothing to do: the database is at " + r.getVersion() + " already");
            return false;
        }
        r.refuse(why + "; the database is at " + (r.getVersion() == null ? "an unrecognised state (" + r.getVersionSource() + ")" : r.getVersion()));
        return false;
    }

    /** Ferry's run record, and (for the phases that change rows or columns) the backup: its schema name. */
    private String begin(PortfolioJob job, boolean backup) throws SQLException {
        PortfolioResult r = job.result();
        RunResult run = new RunResult(FLOW, job.request().command() + " " + job.target().safeUrl(), null, false);
        try (Connection control = ferryDb.connection()) {
            runs.begin(control, run);
        }
        job.setRun(run);
        r.setRunId(run.getRunId());
        if (!backup) {
            return null;
        }
        String schema = PortfolioBackup.schemaFor(run.getRunId());
        OnlinePolicy policy = online();
        try (Connection c = job.target().connect()) {
            r.getBackupRows().putAll(PortfolioBackup.take(c, policy, schema, "ferry portfolio " + job.request().command() + ", run "
                    + run.getRunId() + ": the tables as they were before it"));
        } finally {
            retried(r, "the backup", policy.takeRetries());
        }
        r.setBackupSchema(schema);
        LOG.info("portfolio {} run {}: backup {} {}", job.request().command(), run.getRunId(), schema, r.getBackupRows());
        return schema;
    }

    private static void plan(PortfolioResult r, SchemaResult s) {
        r.getSql().addAll(s.getSql());
        s.getErrors().forEach(r::refuse);
        r.getNotes().addAll(s.getNotes());
    }

    private static void retried(PortfolioResult r, String step, int retries) {
        if (retries > 0) {
            r.addLockRetries(retries);
            r.getNotes().add(step + ": " + retries + " attempt(s) timed out waiting for a lock and were retried");
        }
    }

    private static void applied(PortfolioResult r, SchemaResult s) {
        for (String note : s.getNotes()) {
            Matcher m = ENGINE_RETRIES.matcher(note);
            if (m.find()) {
                r.addLockRetries(Integer.parseInt(m.group(1)));
            }
        }
        s.getVersions().forEach(v -> r.getSteps().add(v.version() + " " + v.description() + ": " + v.state()
                + (v.durationMs() == null ? "" : " in " + v.durationMs() + " ms") + (v.detail() == null ? "" : " (" + v.detail() + ")")));
        r.getNotes().addAll(s.getNotes());
        s.getErrors().forEach(r::fail);
    }

    // ---- validate -----------------------------------------------------------------------------

    public PortfolioResult validate(PortfolioJob job) {
        PortfolioResult r = job.result();
        try {
            if (!job.done()) {
                SchemaResult verify = job.engine().verify(project());
                String expected = switch (job.request().command()) {
                    case "phase1" -> PHASE1;
                    case "phase2" -> PHASE2;
                    default -> rollbackTo(job.request());
                };
                describe(job, false);
                try (Connection c = job.target().connect()) {
                    r.getValidation().addAll(PortfolioValidator.validate(c, verify, r.getHealth(), expected, r.getBackupSchema(),
                            "rollback".equals(job.request().command())));
                }
            }
        } catch (SQLException | RuntimeException e) {
            r.fail("validation stopped: " + Database.rootMessage(e));
        } finally {
            end(job);
        }
        return r.finish();
    }

    private void end(PortfolioJob job) {
        if (oneAtATime.isHeldByCurrentThread()) {
            oneAtATime.unlock();
        }
        RunResult run = job.run();
        if (run == null) {
            return;
        }
        PortfolioResult r = job.result();
        boolean good = !r.stopped() && r.getValidation().stream().allMatch(PortfolioResult.Check::ok);
        run.finish(good ? RunStatus.COMPLETED : RunStatus.FAILED, (r.getFromVersion() + " -> " + r.getVersion())
                + (r.getBackupSchema() == null ? "" : ", backup " + r.getBackupSchema()) + (r.getErrors().isEmpty() ? "" : ": " + r.getErrors().get(0)));
        try (Connection control = ferryDb.connection()) {
            runs.finish(control, run);
        } catch (SQLException | RuntimeException e) {
            r.getWarnings().add("the run record " + run.getRunId() + " could not be closed: " + Database.rootMessage(e));
        }
    }

    // ---- the engine and the project -----------------------------------------------------------

    public SchemaProject project() {
        Path dir = Path.of(settings.string("ferry.portfolio.project", "config/schema/portfolio"));
        return Files.isDirectory(dir) ? SchemaProject.load(dir) : SchemaProject.classpath("portfolio", "config/schema/portfolio");
    }

    OnlinePolicy online() {
        return new OnlinePolicy(Duration.ofMillis(Long.parseLong(settings.string("ferry.schema.online.lock-timeout-ms", "500"))),
                Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.online.max-wait-seconds", "300"))));
    }

    private SchemaEngine engine(SchemaTarget target) {
        return new SchemaEngine(target, Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.lock-wait-seconds", "60"))),
                line -> LOG.info("{}", line)).withOnline(online()).withBaseline(PortfolioInspector.baseline());
    }

    /** The headers of a request for the route, for JMX and the CLI. */
    public static Map<String, Object> headers(String command, String target, boolean dryRun, boolean confirm) {
        return headers(command, target, dryRun, confirm, null);
    }

    public static Map<String, Object> headers(String command, String target, boolean dryRun, boolean confirm, String to) {
        Map<String, Object> h = new HashMap<>();
        if (to != null && !to.isBlank()) {
            h.put("FerryPortfolioTo", to);
        }
        h.put("FerryPortfolioCommand", command);
        if (target != null && !target.isBlank()) {
            h.put("FerryPortfolioTarget", target);
        }
        h.put("FerryDryRun", dryRun);
        h.put("FerryConfirm", confirm);
        return h;
    }
}
