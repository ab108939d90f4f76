package dev.ferry.core.schema;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.ferry.core.schema.SchemaHistory.Applied;
import dev.ferry.core.schema.catalog.Catalog;
import dev.ferry.core.schema.catalog.CatalogDiff;
import dev.ferry.core.schema.project.ProjectVersion;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.core.schema.project.Scaffold;
import dev.ferry.core.schema.project.SqlScript;
import dev.ferry.core.schema.project.SqlStatement;
import dev.ferry.core.schema.project.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema changes of any PostgreSQL database: status, migrate, undo, verify, history,
 * diff, test and new, each returning one {@link SchemaResult}. Commands that change the target
 * hold a database-wide advisory lock, so two Ferry processes never apply at once: the second
 * waits up to the lock wait, then refuses. An applied script edited afterwards is drift, and
 * migrate and undo refuse until the user re-baselines.
 */
public final class SchemaEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaEngine.class);

    /** Recognises the version of a database whose bookkeeping knows nothing of the project (one that predates Ferry). */
    @FunctionalInterface
    public interface Baseline {
        /** The version the database already is at, and why Ferry thinks so; empty when it is not recognised. */
        Optional<Detected> detect(Connection c) throws SQLException;
    }

    public record Detected(Version version, String why) {
    }

    private final SchemaTarget target;
    private final Duration lockWait;
    private final Consumer<String> progress;
    private Baseline baseline;
    /** duplicate column, object, table or relation, function, schema. */
    private static final Set<String> ALREADY_EXISTS = Set.of("42701", "42710", "42P07", "42723", "42P06");

    private OnlinePolicy online = OnlinePolicy.defaults();

    public SchemaEngine(SchemaTarget target, Duration lockWait) {
        this(target, lockWait, line -> LOG.info("{}", line));
    }

    public SchemaEngine(SchemaTarget target, Duration lockWait, Consumer<String> progress) {
        this.target = target;
        this.lockWait = lockWait;
        this.progress = progress;
    }

    /** How the versions marked {@code -- ferry:online} wait for their locks. */
    public SchemaEngine withOnline(OnlinePolicy policy) {
        this.online = policy;
        return this;
    }

    public SchemaEngine withBaseline(Baseline detector) {
        this.baseline = detector;
        return this;
    }

    public SchemaTarget target() {
        return target;
    }

    // ---- state ------------------------------------------------------------------------------

    private record State(Map<Version, Applied> applied, List<String> drift, List<ProjectVersion> pending, List<String> outOfOrder,
                         Version current) {
    }

    private static State state(Connection c, SchemaProject project) throws SQLException {
        Map<Version, Applied> applied = SchemaHistory.applied(c, project.name());
        List<String> drift = new ArrayList<>();
        for (Applied a : applied.values()) {
            Optional<ProjectVersion> pv = project.find(a.version());
            if (pv.isEmpty()) {
                drift.add("version " + a.version() + " is applied (" + a.appliedAt() + ", " + a.appliedBy() + ") but the project has no folder for it");
            } else if (!pv.get().checksum().equals(a.checksum())) {
                drift.add(pv.get().folder() + "/up.sql" + (pv.get().backfill() == null ? "" : " or backfill.properties")
                        + " changed after it was applied (" + a.appliedAt() + ", " + a.appliedBy() + "): checksum "
                        + shortSum(a.checksum()) + " applied, " + shortSum(pv.get().checksum()) + " now");
            }
        }
        Version current = applied.isEmpty() ? null : List.copyOf(applied.keySet()).get(applied.size() - 1);
        List<ProjectVersion> pending = new ArrayList<>();
        List<String> outOfOrder = new ArrayList<>();
        for (ProjectVersion pv : project.versions()) {
            if (applied.containsKey(pv.version())) {
                continue;
            }
            if (current != null && pv.version().compareTo(current) < 0) {
                outOfOrder.add("version " + pv.version() + " (" + pv.folder() + ") is older than the applied " + current
                        + " and was never applied: give it a version above " + current);
            } else {
                pending.add(pv);
            }
        }
        return new State(applied, drift, pending, outOfOrder, current);
    }

    private static String shortSum(String sum) {
        return sum == null ? "none" : sum.substring(0, Math.min(12, sum.length()));
    }

    private static void describe(State s, SchemaResult r) {
        r.setCurrentVersion(s.current() == null ? null : s.current().toString());
        s.pending().forEach(pv -> r.getPending().add(pv.version() + " (" + pv.description() + ")"));
        r.getDrift().addAll(s.drift());
    }

    // ---- status and history -----------------------------------------------------------------

    public SchemaResult status(SchemaProject project) {
        SchemaResult r = new SchemaResult("status", project.name(), target.safeUrl(), false);
        try (Connection c = target.connect()) {
            State s = state(c, project);
            describe(s, r);
            for (ProjectVersion pv : project.versions()) {
                Applied a = s.applied().get(pv.version());
                String state = a != null ? "applied" : s.pending().contains(pv) ? "pending" : "out of order";
                String detail = a == null ? null : a.appliedAt() + " by " + a.appliedBy()
                        + (a.backfillPending() ? "; backfill not finished (" + String.format("%,d", a.backfillRows()) + " rows so far, key "
                        + a.backfillLastKey() + "): migrate resumes it" : "");
                r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), state,
                        a == null ? null : "success", null, detail));
            }
            s.outOfOrder().forEach(r::fail);
            if (!s.drift().isEmpty()) {
                r.fail("drift: " + s.drift().size() + " applied script(s) changed since; migrate and undo refuse until you re-baseline (--rebaseline)");
            }
            List<SchemaResult.HistoryEntry> history = SchemaHistory.entries(c, project.name());
            if (!history.isEmpty() && "failed".equals(history.get(history.size() - 1).outcome())) {
                SchemaResult.HistoryEntry last = history.get(history.size() - 1);
                r.getWarnings().add("the last attempt failed: " + last.operation() + " of " + last.version() + " at " + last.errorFile()
                        + (last.errorLine() == null ? "" : " line " + last.errorLine()) + ": " + last.detail());
            }
        } catch (SQLException e) {
            r.fail("cannot read the schema history of " + target.safeUrl() + ": " + e.getMessage());
        }
        return r.finish();
    }

    public SchemaResult history(SchemaProject project) {
        SchemaResult r = new SchemaResult("history", project.name(), target.safeUrl(), false);
        try (Connection c = target.connect()) {
            describe(state(c, project), r);
            r.getHistory().addAll(SchemaHistory.entries(c, project.name()));
        } catch (SQLException e) {
            r.fail("cannot read the schema history of " + target.safeUrl() + ": " + e.getMessage());
        }
        return r.finish();
    }

    /**
     * Records a database that never saw Ferry at the version the baseline detector recognises,
     * with nothing run; the status afterwards (a database already known is left as it is).
     */
    public SchemaResult baseline(SchemaProject project) {
        SchemaResult r = new SchemaResult("baseline", project.name(), target.safeUrl(), false);
        try (Connection c = target.connect()) {
            locked(c, () -> {
                SchemaHistory.ensure(c);
                adopt(c, project, r);
                describe(state(c, project), r);
            });
        } catch (SQLException | SchemaException e) {
            return ended(r, e);
        }
        return r.finish();
    }

    // ---- migrate ----------------------------------------------------------------------------

    public SchemaResult migrate(SchemaProject project, String to, boolean dryRun, boolean rebaseline) {
        SchemaResult r = new SchemaResult("migrate", project.name(), target.safeUrl(), dryRun);
        Version toVersion = to == null || to.isBlank() ? null : Version.parse(to);
        if (toVersion != null && project.find(toVersion).isEmpty()) {
            return r.refuse("the project has no version " + to).finish();
        }
        try (Connection c = target.connect()) {
            if (dryRun) {
                State s = state(c, project);
                r.setFromVersion(s.current() == null ? null : s.current().toString());
                describe(s, r);
                if (!refusedForDrift(s, r, rebaseline) && s.outOfOrder().isEmpty()) {
                    planUp(s, toVersion, r);
                }
                s.outOfOrder().forEach(r::refuse);
                return r.finish();
            }
            locked(c, () -> {
                SchemaHistory.ensure(c);
                adopt(c, project, r);
                State s = checked(c, project, r, rebaseline);
                if (s == null) {
                    return;
                }
                if (!s.outOfOrder().isEmpty()) {
                    s.outOfOrder().forEach(r::refuse);
                    describe(s, r);
                    return;
                }
                for (Applied a : s.applied().values()) {
                    if (a.backfillPending() && !backfill(c, project, project.find(a.version()).orElseThrow(), a.backfillLastKey(), r)) {
                        describe(state(c, project), r);
                        return;
                    }
                }
                for (ProjectVersion pv : s.pending()) {
                    if (toVersion != null && pv.version().compareTo(toVersion) > 0) {
                        break;
                    }
                    if (!up(c, project, pv, r)) {
                        break;
                    }
                }
                if (r.getVersions().isEmpty() && r.ok()) {
                    r.getNotes().add("nothing to migrate: " + project.name() + " is at " + (s.current() == null ? "no version" : s.current()));
                }
                describe(state(c, project), r);
            });
        } catch (SQLException | SchemaException e) {
            return ended(r, e);
        }
        return r.finish();
    }

    /** A change cut short: a lost connection fails it, a refusal (another process holds the lock) refuses it. */
    private SchemaResult ended(SchemaResult r, Exception e) {
        return (e instanceof SchemaException ? r.refuse(e.getMessage()) : r.fail("cannot reach " + target.safeUrl() + ": " + e.getMessage())).finish();
    }

    private void planUp(State s, Version toVersion, SchemaResult r) {
        for (ProjectVersion pv : s.pending()) {
            if (toVersion != null && pv.version().compareTo(toVersion) > 0) {
                break;
            }
            plan(pv, pv.up(), "up", r);
            if (pv.backfill() != null) {
                r.getSql().add("-- then the backfill of " + pv.backfill().file() + ", after up.sql has committed:");
                r.getSql().add(Backfiller.describe(pv.backfill()) + ";");
            }
            r.getSql().add("-- end of version " + pv.version());
            r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "would apply", null, null, null));
        }
        if (r.getSql().isEmpty()) {
            r.getNotes().add("nothing to migrate");
        }
    }

    private static void plan(ProjectVersion pv, SqlScript script, String direction, SchemaResult r) {
        if (script.online()) {
            r.getSql().add("-- version " + pv.version() + " (" + pv.description() + "), " + direction + ": " + script.file()
                    + ", online: each statement in its own transaction under lock_timeout, retried when it times out");
            for (SqlStatement st : script.statements()) {
                r.getSql().add("-- line " + st.line());
                r.getSql().add(st.sql() + ";");
            }
            return;
        }
        long outside = script.statements().stream().filter(SqlStatement::outsideTransaction).count();
        r.getSql().add("-- version " + pv.version() + " (" + pv.description() + "), " + direction + ": " + script.file() + ", "
                + (outside == 0 ? "in one transaction" : "in transactions, with " + outside + " statement(s) on their own"));
        boolean inTx = false;
        for (SqlStatement st : script.statements()) {
            if (st.outsideTransaction()) {
                if (inTx) {
                    r.getSql().add("COMMIT;");
                    inTx = false;
                }
                r.getSql().add("-- line " + st.line() + ", outside a transaction (PostgreSQL refuses it inside one):");
                r.getSql().add(st.sql() + ";");
            } else {
                if (!inTx) {
                    r.getSql().add("BEGIN;");
                    inTx = true;
                }
                r.getSql().add("-- line " + st.line());
                r.getSql().add(st.sql() + ";");
            }
        }
        if (inTx) {
            r.getSql().add("COMMIT;");
        }
    }

    /** The state a change starts from, drift re-baselined when asked; null (the result refused) on drift otherwise. */
    private State checked(Connection c, SchemaProject project, SchemaResult r, boolean rebaseline) throws SQLException {
        State s = state(c, project);
        r.setFromVersion(s.current() == null ? null : s.current().toString());
        if (refusedForDrift(s, r, rebaseline)) {
            describe(s, r);
            return null;
        }
        if (rebaseline) {
            rebaseline(c, project, s, r);
            s = state(c, project);
        }
        return s;
    }

    private static boolean refusedForDrift(State s, SchemaResult r, boolean rebaseline) {
        if (s.drift().isEmpty() || rebaseline) {
            return false;
        }
        r.refuse("drift: " + String.join("; ", s.drift()) + ". Nothing was changed. If the edit is intended, re-baseline with --rebaseline "
                + "(the applied checksums are replaced by the files' own); otherwise restore the files");
        return true;
    }

    private void rebaseline(Connection c, SchemaProject project, State s, SchemaResult r) throws SQLException {
        String actor = SchemaHistory.actor(c);
        c.setAutoCommit(false);
        for (Applied a : s.applied().values()) {
            Optional<ProjectVersion> pv = project.find(a.version());
            if (pv.isPresent() && !pv.get().checksum().equals(a.checksum())) {
                SchemaHistory.updateChecksum(c, project.name(), a.version(), pv.get().checksum());
                SchemaHistory.record(c, project.name(), a.version(), a.description(), "rebaseline", pv.get().checksum(), Instant.now(), "success",
                        actor, "checksum " + shortSum(a.checksum()) + " replaced by " + shortSum(pv.get().checksum()), null, null, null);
                r.getNotes().add("re-baselined " + a.version() + ": the edited " + pv.get().folder() + " is now what counts as applied");
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Applies one version; false when it failed (recorded, and the database left as before the version). */
    private boolean up(Connection c, SchemaProject project, ProjectVersion pv, SchemaResult r) throws SQLException {
        return up(c, project, pv, r, true);
    }

    private boolean up(Connection c, SchemaProject project, ProjectVersion pv, SchemaResult r, boolean mayClearLeftovers) throws SQLException {
        Instant started = Instant.now();
        String actor = SchemaHistory.actor(c);
        progress.accept("schema " + project.name() + ": applying " + pv.version() + " (" + pv.description() + ")");
        try {
            ScriptRunner.run(c, pv.up(), tx -> {
                SchemaHistory.insertApplied(tx, project.name(), pv.version(), pv.description(), pv.checksum(), actor, pv.backfill() != null);
                SchemaHistory.record(tx, project.name(), pv.version(), pv.description(), "up", pv.checksum(), started, "success", actor,
                        pv.up().statements().size() + " statement(s)", pv.up().file(), null, null);
            }, online);
            noteRetries(pv, "up", r);
        } catch (ScriptFailure f) {
            noteRetries(pv, "up", r);
            if (mayClearLeftovers && leftOverByACutOffRun(pv, f) && undoWithDown(c, pv) == null) {
                r.getNotes().add(pv.version() + ": " + f.where() + ", left by an earlier run cut off part-way (its online statements had "
                        + "committed, the version was not recorded); undone with down.sql and applied again");
                return up(c, project, pv, r, false);
            }
            String after = "";
            if (f.partial()) {
                after = compensate(c, pv);
            }
            recordFailure(c, project, pv, "up", started, actor, f, after);
            r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "not applied", "failed",
                    Duration.between(started, Instant.now()).toMillis(), f.where()));
            r.fail("version " + pv.version() + " failed at " + f.where() + (f.partial() ? "; " + after
                    : "; its transaction was rolled back, so the database is as it was before " + pv.version()));
            return false;
        }
        r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "applied", "success",
                Duration.between(started, Instant.now()).toMillis(), null));
        return pv.backfill() == null || backfill(c, project, pv, null, r);
    }

    /** What the online policy had to retry for a version, in the result for the operator. */
    private void noteRetries(ProjectVersion pv, String operation, SchemaResult r) {
        int retries = online.takeRetries();
        if (retries > 0) {
            r.getNotes().add(pv.version() + " " + operation + ": " + retries + " statement attempt(s) timed out waiting for a lock (lock_timeout "
                    + online.lockTimeout().toMillis() + " ms) and were retried");
        }
    }

    /** Statements before a failing one outside a transaction had committed: undo them with down.sql. */
    private String compensate(Connection c, ProjectVersion pv) {
        if (pv.down().irreversible()) {
            return "the statements before it stay applied, as down.sql is irreversible (" + pv.down().irreversibleReason() + ")";
        }
        String failed = undoWithDown(c, pv);
        return failed == null
                ? "the statements before it had committed and were undone with down.sql, so the database is as it was before " + pv.version()
                : "the statements before it had committed, and undoing them with down.sql failed too" + failed;
    }

    /** Runs the version's down.sql outside its history; null when it ran through, else where it failed. */
    private String undoWithDown(Connection c, ProjectVersion pv) {
        try {
            ScriptRunner.run(c, pv.down(), tx -> {
            }, online);
            online.takeRetries();
            return null;
        } catch (ScriptFailure g) {
            return " at " + g.where();
        } catch (SQLException e) {
            return ": " + e.getMessage();
        }
    }

    /**
     * An online up.sql commits statement by statement, so a run killed part-way leaves those statements applied and
     * the version unrecorded; the next run then meets its own objects ("already exists"). Its down.sql, written to
     * run again (IF EXISTS), clears them, and the version can be applied from the start. Only after statements of this
     * run committed: down.sql would run then anyway (see compensate), so nothing is dropped that a failure would not drop.
     */
    private static boolean leftOverByACutOffRun(ProjectVersion pv, ScriptFailure f) {
        return f.partial() && pv.up().online() && !pv.down().irreversible() && ALREADY_EXISTS.contains(f.sqlState());
    }

    private static void recordFailure(Connection c, SchemaProject project, ProjectVersion pv, String operation, Instant started, String actor,
                                      ScriptFailure f, String note) throws SQLException {
        c.setAutoCommit(true);
        SchemaHistory.record(c, project.name(), pv.version(), pv.description(), operation, pv.checksum(), started, "failed", actor,
                f.serverMessage() + (note.isEmpty() ? "" : "; " + note), f.file(), f.line(), f.statement());
    }

    private boolean backfill(Connection c, SchemaProject project, ProjectVersion pv, String lastKey, SchemaResult r) throws SQLException {
        Instant started = Instant.now();
        progress.accept("schema " + project.name() + ": backfill of " + pv.version() + " on " + pv.backfill().table()
                + (lastKey == null ? "" : ", resuming after key " + lastKey));
        try {
            long rows = new Backfiller(project.name(), pv.version(), pv.backfill(), progress).run(c, lastKey);
            r.getNotes().add("backfill of " + pv.version() + ": " + String.format("%,d", rows) + " rows of " + pv.backfill().table() + " updated in "
                    + Duration.between(started, Instant.now()).toMillis() + " ms, in batches of " + pv.backfill().batchSize());
            return true;
        } catch (SQLException e) {
            c.rollback();
            c.setAutoCommit(true);
            SchemaHistory.record(c, project.name(), pv.version(), pv.description(), "backfill", null, started, "failed", SchemaHistory.actor(c),
                    e.getMessage(), pv.backfill().file(), null, null);
            r.fail("the backfill of " + pv.version() + " (" + pv.backfill().file() + ") stopped: " + e.getMessage()
                    + "; the batches before it are committed and `migrate` resumes after them");
            return false;
        }
    }

    // ---- undo -------------------------------------------------------------------------------

    public SchemaResult undo(SchemaProject project, String to, boolean dryRun, boolean rebaseline) {
        SchemaResult r = new SchemaResult("undo", project.name(), target.safeUrl(), dryRun);
        Version toVersion = to == null || to.isBlank() ? null : Version.parse(to);
        try (Connection c = target.connect()) {
            if (dryRun) {
                State s = state(c, project);
                r.setFromVersion(s.current() == null ? null : s.current().toString());
                describe(s, r);
                List<ProjectVersion> targets = undoTargets(project, s, toVersion, r);
                if (targets != null && !refusedForDrift(s, r, rebaseline)) {
                    for (ProjectVersion pv : targets) {
                        plan(pv, pv.down(), "undo", r);
                        r.getSql().add("-- end of version " + pv.version());
                        r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "would undo", null, null, null));
                    }
                }
                return r.finish();
            }
            locked(c, () -> {
                SchemaHistory.ensure(c);
                State s = checked(c, project, r, rebaseline);
                if (s == null) {
                    return;
                }
                List<ProjectVersion> targets = undoTargets(project, s, toVersion, r);
                if (targets != null) {
                    for (ProjectVersion pv : targets) {
                        if (!down(c, project, pv, r)) {
                            break;
                        }
                    }
                }
                describe(state(c, project), r);
            });
        } catch (SQLException | SchemaException e) {
            return ended(r, e);
        }
        return r.finish();
    }

    /** The versions to undo, newest first; null (and the result refused) when the undo cannot go ahead. */
    private static List<ProjectVersion> undoTargets(SchemaProject project, State s, Version to, SchemaResult r) {
        if (s.applied().isEmpty()) {
            r.getNotes().add("nothing to undo: no version of " + project.name() + " is applied");
            return List.of();
        }
        boolean toNothing = to != null && to.parts().stream().allMatch(p -> p == 0);
        if (to != null && !toNothing && !s.applied().containsKey(to)) {
            r.refuse("version " + to + " is not applied, so undo cannot stop there; applied: " + s.applied().keySet());
            return null;
        }
        List<Version> versions = new ArrayList<>(s.applied().keySet());
        List<Version> chosen = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Version v = versions.get(i);
            if (to == null ? chosen.isEmpty() : v.compareTo(to) > 0) {
                chosen.add(v);
            }
        }
        List<ProjectVersion> out = new ArrayList<>();
        for (Version v : chosen) {
            ProjectVersion pv = project.find(v).orElse(null);
            if (pv == null) {
                r.refuse("version " + v + " is applied but the project has no folder for it, so there is no down.sql to run");
                return null;
            }
            if (pv.down().irreversible()) {
                r.refuse("version " + v + " cannot be undone: " + pv.down().irreversibleReason() + " (" + pv.down().file() + ")");
                return null;
            }
            out.add(pv);
        }
        return out;
    }

    private boolean down(Connection c, SchemaProject project, ProjectVersion pv, SchemaResult r) throws SQLException {
        Instant started = Instant.now();
        String actor = SchemaHistory.actor(c);
        progress.accept("schema " + project.name() + ": undoing " + pv.version() + " (" + pv.description() + ")");
        try {
            ScriptRunner.run(c, pv.down(), tx -> {
                SchemaHistory.deleteApplied(tx, project.name(), pv.version());
                SchemaHistory.record(tx, project.name(), pv.version(), pv.description(), "down", pv.checksum(), started, "success", actor,
                        pv.down().statements().size() + " statement(s)", pv.down().file(), null, null);
            }, online);
            noteRetries(pv, "down", r);
        } catch (ScriptFailure f) {
            noteRetries(pv, "down", r);
            String why = f.where();
            if (DependentObjects.SQLSTATE.equals(f.sqlState())) {
                c.setAutoCommit(true);
                List<String> dependents = DependentObjects.of(c, f.serverMessage());
                if (!dependents.isEmpty()) {
                    why = f.file() + " line " + f.line() + ": other objects still depend on what it drops: " + String.join(", ", dependents)
                            + ". Drop or change them first (or in this down.sql, before the statement)";
                }
            }
            recordFailure(c, project, pv, "down", started, actor, f, "");
            r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "applied", "undo failed",
                    Duration.between(started, Instant.now()).toMillis(), why));
            r.fail("undo of " + pv.version() + " failed at " + why + (f.partial() ? "" : "; nothing of " + pv.version() + " was undone"));
            return false;
        }
        r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "undone", "success",
                Duration.between(started, Instant.now()).toMillis(), null));
        return true;
    }

    // ---- verify -----------------------------------------------------------------------------

    public SchemaResult verify(SchemaProject project) {
        SchemaResult r = new SchemaResult("verify", project.name(), target.safeUrl(), false);
        try (Connection c = target.connect()) {
            State s = state(c, project);
            describe(s, r);
            for (ProjectVersion pv : project.versions()) {
                boolean applied = s.applied().containsKey(pv.version());
                String failure = verifyOne(c, pv);
                if (applied) {
                    r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "applied",
                            failure == null ? "passed" : "failed", null, failure));
                    if (failure != null) {
                        r.fail(pv.version() + " is applied but its verify fails: " + failure);
                    }
                } else {
                    r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "not applied",
                            failure == null ? "passed" : "failed", null,
                            failure == null ? "its objects are there although it is not applied" : "as expected for a version not applied: " + failure));
                    if (failure == null) {
                        r.getWarnings().add(pv.version() + " is not applied, yet its verify passes: its objects may have been made by hand");
                    }
                }
            }
        } catch (SQLException e) {
            r.fail("cannot reach " + target.safeUrl() + ": " + e.getMessage());
        }
        return r.finish();
    }

    /** Null when every statement of verify.sql runs and every query returns a row whose first column is not false. */
    private static String verifyOne(Connection c, ProjectVersion pv) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (SqlStatement st : pv.verify().statements()) {
                try (Statement s = c.createStatement()) {
                    s.setEscapeProcessing(false);
                    if (s.execute(st.sql())) {
                        try (ResultSet rs = s.getResultSet()) {
                            if (!rs.next()) {
                                return pv.verify().file() + " line " + st.line() + ": the query returned no rows";
                            }
                            if (Boolean.FALSE.equals(rs.getObject(1))) {
                                return pv.verify().file() + " line " + st.line() + ": the query returned false";
                            }
                        }
                    }
                } catch (SQLException e) {
                    return pv.verify().file() + " line " + st.line() + ": " + e.getMessage();
                } finally {
                    // verify reads; whatever a statement did is undone, and an error does not spoil the next one
                    c.rollback();
                }
            }
            return null;
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---- diff -------------------------------------------------------------------------------

    public SchemaResult diff(SchemaProject project) {
        SchemaResult r = new SchemaResult("diff", project.name(), target.safeUrl(), false);
        try (Connection c = target.connect()) {
            State s = state(c, project);
            describe(s, r);
            if (!s.drift().isEmpty()) {
                r.fail("drift: applied scripts changed since they were applied; the expected schema below is built from the files as they are now");
            }
            try (ScratchDatabase scratch = ScratchDatabase.create(target)) {
                SchemaEngine expected = new SchemaEngine(scratch.target(), lockWait, line -> { });
                List<Version> applied = new ArrayList<>(s.applied().keySet());
                try (Connection sc = scratch.target().connect()) {
                    SchemaHistory.ensure(sc);
                    for (Version v : applied) {
                        ProjectVersion pv = project.find(v).orElse(null);
                        if (pv == null) {
                            continue;
                        }
                        SchemaResult built = new SchemaResult("diff", project.name(), scratch.name(), false);
                        if (!expected.up(sc, project, pv, built)) {
                            r.fail("the project's own " + pv.version() + " fails on an empty database: " + String.join("; ", built.getErrors()));
                            return r.finish();
                        }
                    }
                    Catalog want = Catalog.read(sc);
                    Set<String> owned = ownedSchemas(want);
                    Catalog wantOwned = Catalog.read(sc, owned::contains);
                    Catalog live = Catalog.read(c, owned::contains);
                    CatalogDiff d = CatalogDiff.compare(wantOwned, live);
                    r.getDifferences().addAll(d.lines());
                    r.getNotes().add("compared " + live.size() + " objects in schema(s) " + String.join(", ", owned) + " with the "
                            + wantOwned.size() + " that versions " + (applied.isEmpty() ? "(none)" : applied.get(0) + " to " + applied.get(applied.size() - 1))
                            + " produce on an empty database");
                    if (!d.isEmpty()) {
                        r.fail("the live schema differs from what the applied versions produce: " + d.differences().size() + " difference(s)");
                    }
                }
            }
        } catch (SQLException e) {
            r.fail("cannot reach " + target.safeUrl() + ": " + e.getMessage());
        }
        return r.finish();
    }

    /** The schemas the project puts objects in: only those are compared, so other tenants of the database are not drift. */
    private static Set<String> ownedSchemas(Catalog catalog) {
        Set<String> out = new TreeSet<>();
        for (String schema : catalog.schemas()) {
            for (String key : catalog.objects().keySet()) {
                if (key.contains(" " + schema + ".")) {
                    out.add(schema);
                    break;
                }
            }
        }
        return out;
    }

    // ---- test -------------------------------------------------------------------------------

    /**
     * The round trip on a scratch database, version by version: up, verify, down, the catalog
     * equal to the one before up, and up again. It proves each down.sql undoes its up.sql.
     */
    public SchemaResult test(SchemaProject project) {
        SchemaResult r = new SchemaResult("test", project.name(), target.safeUrl(), false);
        try (ScratchDatabase scratch = ScratchDatabase.create(target); Connection sc = scratch.target().connect()) {
            SchemaEngine e = new SchemaEngine(scratch.target(), lockWait, line -> { });
            SchemaHistory.ensure(sc);
            for (ProjectVersion pv : project.versions()) {
                Instant started = Instant.now();
                Catalog before = Catalog.read(sc);
                SchemaResult step = new SchemaResult("test", project.name(), scratch.name(), false);
                if (!e.up(sc, project, pv, step)) {
                    fail(r, pv, started, "up.sql fails on a database at the previous version: " + String.join("; ", step.getErrors()));
                    break;
                }
                String verify = verifyOne(sc, pv);
                if (verify != null) {
                    fail(r, pv, started, "verify fails right after up: " + verify);
                    break;
                }
                if (pv.down().irreversible()) {
                    r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "up, verify", "passed",
                            Duration.between(started, Instant.now()).toMillis(), "irreversible (" + pv.down().irreversibleReason() + "): no round trip"));
                    continue;
                }
                if (!e.down(sc, project, pv, step)) {
                    fail(r, pv, started, "down.sql fails right after up: " + String.join("; ", step.getErrors()));
                    break;
                }
                CatalogDiff left = CatalogDiff.compare(before, Catalog.read(sc));
                if (!left.isEmpty()) {
                    r.getDifferences().addAll(left.lines().stream().map(l -> pv.version() + ": " + l).toList());
                    fail(r, pv, started, "down.sql does not undo up.sql exactly: after up and down the catalog differs from before: "
                            + String.join("; ", left.lines()));
                    break;
                }
                if (!e.up(sc, project, pv, step)) {
                    fail(r, pv, started, "up.sql does not run again after down.sql: " + String.join("; ", step.getErrors()));
                    break;
                }
                r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(),
                        "up, verify, down, catalog equal, up again", "passed", Duration.between(started, Instant.now()).toMillis(), null));
            }
            if (r.ok()) {
                r.getNotes().add("round trip passed for all " + project.versions().size() + " version(s) on a scratch database");
            }
            Optional<ProjectVersion> last = project.latest();
            r.setCurrentVersion(last.map(v -> v.version().toString()).orElse(null));
        } catch (SQLException e) {
            r.fail("cannot run the round trip on a scratch database of " + target.safeUrl() + ": " + e.getMessage());
        }
        return r.finish();
    }

    private static void fail(SchemaResult r, ProjectVersion pv, Instant started, String why) {
        r.getVersions().add(new SchemaResult.VersionLine(pv.version().toString(), pv.description(), "round trip", "failed",
                Duration.between(started, Instant.now()).toMillis(), why));
        r.fail(pv.version() + ": " + why);
    }

    // ---- new --------------------------------------------------------------------------------

    public static SchemaResult scaffold(Path dir, String name, String at) {
        SchemaResult r = new SchemaResult("new", dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(), dir.toString(), false);
        Path folder = Scaffold.newVersion(dir, name, at);
        r.getNotes().add("created " + folder + " with up.sql, down.sql and verify.sql: write them, then run `ferry schema test`");
        r.getVersions().add(new SchemaResult.VersionLine(folder.getFileName().toString().split("__", 2)[0], name, "new", null, null, folder.toString()));
        return r.finish();
    }

    // ---- locking and adoption ---------------------------------------------------------------

    @FunctionalInterface
    private interface Locked {
        void run() throws SQLException;
    }

    /** One database-wide lock for every change of every project: two Ferry processes never apply at once. */
    private void locked(Connection c, Locked work) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = " + Math.max(1, lockWait.toMillis()));
            try {
                st.execute("SELECT pg_advisory_lock(hashtext('ferry_schema'))");
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw new SchemaException("another process is changing the schema of " + target.safeUrl() + " (waited "
                            + lockWait.toSeconds() + " s for it); nothing was changed, try again when it has finished", e);
                }
                throw e;
            }
            st.execute("RESET lock_timeout");
        }
        try {
            work.run();
        } finally {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(hashtext('ferry_schema'))");
            }
        }
    }

    /** A database the bookkeeping has never seen, recognised at some version: record what is there without running it. */
    private void adopt(Connection c, SchemaProject project, SchemaResult r) throws SQLException {
        if (baseline == null || !SchemaHistory.applied(c, project.name()).isEmpty()) {
            return;
        }
        Optional<Detected> found = baseline.detect(c);
        if (found.isEmpty()) {
            return;
        }
        String actor = SchemaHistory.actor(c);
        c.setAutoCommit(false);
        for (ProjectVersion pv : project.versions()) {
            if (pv.version().compareTo(found.get().version()) > 0) {
                break;
            }
            SchemaHistory.insertApplied(c, project.name(), pv.version(), pv.description(), pv.checksum(), actor, false);
            SchemaHistory.record(c, project.name(), pv.version(), pv.description(), "baseline", pv.checksum(), Instant.now(), "success", actor,
                    found.get().why(), null, null, null);
        }
        c.commit();
        c.setAutoCommit(true);
        r.getNotes().add("baselined " + project.name() + " at " + found.get().version() + ": " + found.get().why());
        LOG.info("Schema {} baselined at {}: {}", project.name(), found.get().version(), found.get().why());
    }
}
