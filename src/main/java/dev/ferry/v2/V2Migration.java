package dev.ferry.v2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.ferry.core.db.Database;
import dev.ferry.core.ops.StopSignal;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.RunStore;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.SchemaTarget;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.core.schema.project.SqlScript;
import dev.ferry.core.schema.project.SqlStatement;
import dev.ferry.settings.FerrySettings;
import dev.ferry.v2.read.V2Source;
import dev.ferry.v2.read.V2Table;
import dev.ferry.v2.report.V2Result;
import dev.ferry.v2.transform.Mapped;
import dev.ferry.v2.transform.V2Mapper;
import dev.ferry.v2.validate.V2Validator;
import dev.ferry.v2.write.V3Page;
import dev.ferry.v2.write.V3Target;
import dev.ferry.v2.write.V3Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of the v2 -> v3 migration that the routes of routes/v2-migration.camel.yaml call, in
 * their order: request, begin (sources, v3 base check, schema changes, the run), digestQuery and
 * pages (poll v2, split), pageQuery (poll v2), transform, dedup, load (load v3, checkpoint), end
 * (validation, cutover, the run's end). One pass runs at a time: the v3 advisory lock says so.
 */
public final class V2Migration {

    private static final Logger LOG = LoggerFactory.getLogger(V2Migration.class);
    public static final String FLOW = "v2";
    static final long LOCK = 0x7632_7633L;
    public static final String COMPAT = "v3-compat";
    public static final String LINEAGE = "ferry_v2";
    /** v3's base tables: without them there is nothing to migrate into. */
    static final List<String> V3_BASE = List.of("orders", "trades", "signals");

    private final FerrySettings settings;
    private final Database ferryDb;
    private final RunStore runs;
    private final V2Source source;
    private final V3Target target;
    private final V2Mapper mapper;
    private final V3Writer writer = new V3Writer();
    private final V2Validator validator;
    private volatile V2Pass current;
    private final StopSignal stop;

    public V2Migration(FerrySettings settings, Database ferryDb, RunStore runs, V2Source source, V3Target target, V2Mapper mapper,
                       V2Validator validator, StopSignal stop) {
        this.stop = stop;
        this.settings = settings;
        this.ferryDb = ferryDb;
        this.runs = runs;
        this.source = source;
        this.target = target;
        this.mapper = mapper;
        this.validator = validator;
    }

    // ---- receive --------------------------------------------------------------------------

    public V2Request request(String command, String sourceUrl, String targetUrl, Boolean dryRun, Boolean createV3, Long runId, Boolean all,
                             Boolean withSchema, Boolean force, String confirm) {
        return new V2Request(command, blank(sourceUrl), blank(targetUrl), Boolean.TRUE.equals(dryRun), Boolean.TRUE.equals(createV3), runId,
                Boolean.TRUE.equals(all), Boolean.TRUE.equals(withSchema), Boolean.TRUE.equals(force), blank(confirm));
    }

    /** Points the v2 source and the v3 target at the request's databases (or the configured ones). */
    public void connect(V2Request r) {
        String url = r.source() != null ? r.source() : settings.string("ferry.v2.url", "");
        if (url.isBlank()) {
            throw new IllegalArgumentException("no v2 source: give --source jdbc:postgresql://host/db or set FERRY_V2_URL");
        }
        source.use(url, settings.string("ferry.v2.user", settings.dbUser()), v2Password().orElse(null));
        connectTarget(r);
    }

    /** Points the v3 target at the request's database, or the configured one (Ferry's own unless ferry.v2.target.url says). */
    public void connectTarget(V2Request r) {
        target.use(r.target() != null ? r.target() : settings.string("ferry.v2.target.url", ""), settings.dbUser(),
                settings.dbPassword().orElse(null));
    }

    private Optional<String> v2Password() {
        String env = System.getenv("FERRY_V2_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return Optional.of(env);
        }
        String file = settings.string("ferry.v2.password-file", "");
        if (file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file)).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the v2 password file " + file + ": " + e.getMessage());
        }
    }

    public V3Target target() {
        return target;
    }

    // ---- begin ----------------------------------------------------------------------------

    /**
     * One v2 command at a time in this process: the source and target beans are pointed at the
     * command's databases, so a second one (a JMX call while the Quartz sync runs) must wait its turn.
     */
    private final java.util.concurrent.Semaphore busy = new java.util.concurrent.Semaphore(1);

    /** Runs {@code work} as this process's one v2 command, or says that another one is running. */
    public <T> T exclusively(java.util.function.Supplier<T> work, java.util.function.Supplier<T> refused) {
        if (!busy.tryAcquire()) {
            return refused.get();
        }
        try {
            return work.get();
        } finally {
            busy.release();
        }
    }

    /** A pass over v2, or a result that says why not (the body the route then reports). */
    public Object begin(V2Request r) {
        if (!busy.tryAcquire()) {
            return new V2Result(r.command(), null, null, r.dryRun()).refuse("another v2 command is running in this Ferry; try again when it ends");
        }
        Object out = null;
        try {
            out = beginExclusive(r);
            return out;
        } finally {
            if (!(out instanceof V2Pass)) {
                busy.release(); // a pass holds it until its end
            }
        }
    }

    private Object beginExclusive(V2Request r) {
        V2Result result = new V2Result(r.command(), null, null, r.dryRun());
        try {
            connect(r);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return result.refuse(e.getMessage());
        }
        result = new V2Result(r.command(), source.safeUrl(), target.safeUrl(), r.dryRun());
        Connection v3 = null;
        Connection control = null;
        try {
            v3 = target.connect();
            if (!lock(v3)) {
                v3.close();
                return result.refuse("another v2 pass is running against " + target.safeUrl() + " (it holds the migration's lock)");
            }
            if (r.command().equals("status")) {
                status(v3, result);
                release(v3);
                return result.finish();
            }
            List<String> missing = missingBase(v3);
            if (!missing.isEmpty()) {
                if (r.dryRun() && r.createV3()) {
                    release(v3);
                    return result.refuse("the v3 base schema is missing in " + target.safeUrl() + " (no table(s) " + missing
                            + ") and a dry run creates nothing: run ferry v2 migrate --create-v3 without --dry-run");
                }
                if (!r.createV3() || !r.loads()) {
                    release(v3);
                    return result.refuse("the v3 base schema is missing in " + target.safeUrl() + ": no table(s) " + missing
                            + "; point --target at the platform's v3 database, or give --create-v3 to create the base schema for a fresh platform");
                }
                createBase(v3);
                result.getNotes().add("created the v3 base schema (--create-v3)");
            }
            if (r.loads()) {
                String schemaProblem = applySchema(result, r.dryRun());
                if (schemaProblem == null && !lineageExists(v3)) {
                    schemaProblem = "the schema history of " + target.safeUrl() + " (ferry_schema) says " + LINEAGE
                            + " is applied, but its tables are gone (dropped outside Ferry): without its lineage Ferry cannot tell "
                            + "which v3 rows it wrote; restore the schema " + LINEAGE + " from a backup";
                }
                if (schemaProblem != null) {
                    release(v3);
                    return result.refuse(schemaProblem);
                }
            } else if (!lineageExists(v3)) {
                release(v3);
                return result.refuse("nothing has been migrated into " + target.safeUrl() + " yet: run ferry v2 migrate first");
            }
            Optional<String> cutover = state(v3, "cutover");
            if (cutover.isPresent() && r.loads()) {
                release(v3);
                result.setMessage("cut over at " + cutover.get() + ": v3 is the platform's now and v2 is no longer followed "
                        + "(ferry v2 rollback --all undoes the migration)");
                return result.finish();
            }
            List<V2Table> tables = tables(v3, result);
            control = ferryDb.connection();
            RunResult run = new RunResult(FLOW, r.command() + " " + source.safeUrl(), null, r.dryRun());
            runs.begin(control, run);
            result.setRunId(run.getRunId());
            v3.setAutoCommit(false);
            V2Pass pass = new V2Pass(r, result, tables, Math.max(100, Integer.parseInt(settings.string("ferry.v2.page-rows", "5000"))),
                    "apply".equalsIgnoreCase(settings.string("ferry.v2.sync.deletes", "report")), run, control, v3);
            loadDigests(pass);
            current = pass;
            LOG.info("v2 {} run {}: {} -> {}, tables {}", r.command(), run.getRunId(), source.safeUrl(), target.safeUrl(),
                    tables.stream().map(V2Table::name).toList());
            return pass;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(control);
            if (v3 != null) {
                release(v3);
            }
            return result.fail("cannot start: " + rootMessage(e));
        }
    }

    static boolean lineageExists(Connection v3) throws SQLException {
        try (Statement st = v3.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('ferry_v2.source_rows') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** What the lineage knows: per v2 table the rows loaded, rejected and deleted in v2, the last run, the cutover. */
    private void status(Connection v3, V2Result result) throws SQLException {
        if (!lineageExists(v3)) {
            result.setMessage("nothing migrated into " + target.safeUrl() + " yet");
            return;
        }
        try (Statement st = v3.createStatement(); ResultSet rs = st.executeQuery("SELECT v2_table, count(*) FILTER (WHERE outcome = 'loaded' AND NOT deleted), "
                + "count(*) FILTER (WHERE outcome <> 'loaded' AND NOT deleted), count(*) FILTER (WHERE deleted), max(run_id) "
                + "FROM ferry_v2.source_rows GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                result.getNotes().add(rs.getString(1) + ": " + rs.getLong(2) + " v2 row(s) loaded, " + rs.getLong(3) + " rejected, "
                        + rs.getLong(4) + " deleted in v2 since; last run " + rs.getLong(5));
            }
        }
        try (Statement st = v3.createStatement(); ResultSet rs = st.executeQuery("SELECT v3_table, count(*) FROM ferry_v2.written GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                result.wrote(rs.getString(1), rs.getLong(2));
            }
        }
        Optional<String> cutover = state(v3, "cutover");
        result.setMessage(cutover.map(at -> "cut over at " + at + ": v3 is the platform's now")
                .orElse("following v2: ferry v2 sync (or the Quartz sync) keeps v3 in step until ferry v2 cutover"));
    }

    public boolean lock(Connection v3) throws SQLException {
        try (Statement st = v3.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void release(Connection v3) {
        try {
            unlock(v3);
        } finally {
            closeQuietly(v3);
        }
    }

    /** Ends the connection's transaction and gives the migration's lock back. */
    public static void unlock(Connection v3) {
        try {
            if (!v3.getAutoCommit()) {
                v3.rollback();
                v3.setAutoCommit(true);
            }
            try (Statement st = v3.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        } catch (SQLException e) {
            LOG.debug("releasing the v2 lock: {}", e.getMessage());
        }
    }

    static List<String> missingBase(Connection v3) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String t : V3_BASE) {
            try (PreparedStatement ps = v3.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        missing.add(t);
                    }
                }
            }
        }
        return missing;
    }

    private static void createBase(Connection v3) throws SQLException {
        String sql;
        try (InputStream in = V2Migration.class.getClassLoader().getResourceAsStream("v2/v3-base.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("v2/v3-base.sql is not in the jar: " + e.getMessage());
        }
        try (Statement st = v3.createStatement()) {
            for (SqlStatement s : SqlScript.parse("v2/v3-base.sql", sql).statements()) {
                st.execute(s.sql());
            }
        }
    }

    /** The compatibility change of v3 and Ferry's lineage tables, on the schema engine; null when both are in place. */
    private String applySchema(V2Result result, boolean dryRun) {
        for (SchemaProject p : List.of(lineageProject(), compatProject())) {
            SchemaEngine engine = engine();
            SchemaResult status = engine.status(p);
            if (status.getPending().isEmpty() && status.ok()) {
                continue;
            }
            if (dryRun) {
                return "schema project " + p.name() + " is not applied to " + target.safeUrl() + " (pending " + status.getPending()
                        + "); a dry run changes nothing, so run without --dry-run first or apply it with ferry schema migrate";
            }
            SchemaResult applied = engine.migrate(p, null, false, false);
            if (!applied.ok()) {
                return "schema project " + p.name() + " failed on " + target.safeUrl() + ": " + applied.summaryLine();
            }
            result.getNotes().add("applied schema " + p.name() + " " + applied.getCurrentVersion());
        }
        return null;
    }

    public SchemaEngine engine() {
        String url = target.url() != null ? target.url() : settings.dbUrl();
        return new SchemaEngine(new SchemaTarget(url, settings.dbUser(), settings.dbPassword().orElse(null)),
                Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.lock-wait-seconds", "30"))));
    }

    public static SchemaProject lineageProject() {
        return SchemaProject.classpath(LINEAGE, "schema/ferry_v2");
    }

    public SchemaProject compatProject() {
        Path dir = Path.of(settings.string("ferry.v2.compat-project", "config/schema/v3-compat"));
        return Files.isDirectory(dir) ? SchemaProject.load(dir) : SchemaProject.classpath(COMPAT, "config/schema/v3-compat");
    }

    /** The v2 tables in load order, with the columns each is read by; a table v2 does not have is noted and left out. */
    private List<V2Table> tables(Connection v3, V2Result result) throws SQLException {
        Map<String, List<String>> v2Cols = columns(source.getConnection(), true);
        Map<String, List<String>> v3Cols = columns(v3, false);
        List<V2Table> out = new ArrayList<>();
        for (String t : V2Table.ORDER) {
            List<String> have = v2Cols.get(t);
            if (have == null && (t.equals("trades") || t.equals("signals"))) {
                // the bot's own records: without them a migration would "succeed" having moved none of them
                throw new IllegalStateException("v2 has no table " + t + ": is this the bot's v2 database? nothing was migrated");
            }
            if (have == null) {
                result.getNotes().add("v2 has no table " + t + ": nothing to migrate from it");
                continue;
            }
            switch (t) {
                case "trades" -> out.add(new V2Table(t, required(t, have, V2Table.TRADE_COLUMNS), false));
                case "signals" -> out.add(new V2Table(t, required(t, have, V2Table.SIGNAL_COLUMNS), false));
                default -> {
                    List<String> target = v3Cols.getOrDefault(t, List.of());
                    List<String> both = have.stream().filter(target::contains).toList();
                    Set<String> dropped = new LinkedHashSet<>(have);
                    dropped.removeAll(both);
                    if (!dropped.isEmpty()) {
                        result.getNotes().add("v2 " + t + " columns not in v3 and not copied: " + dropped);
                    }
                    out.add(new V2Table(t, both, true));
                }
            }
        }
        return out;
    }

    private static List<String> required(String table, List<String> have, List<String> need) {
        List<String> missing = need.stream().filter(c -> !have.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("v2 table " + table + " has no column(s) " + missing + ": is this the bot's v2 database?");
        }
        return need;
    }

    private static Map<String, List<String>> columns(Connection c, boolean close) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        } finally {
            if (close) {
                c.close();
            }
        }
        return out;
    }

    private static void loadDigests(V2Pass pass) throws SQLException {
        try (Statement st = pass.v3.createStatement(); ResultSet rs = st.executeQuery("SELECT v2_table, page, digest FROM ferry_v2.pages")) {
            while (rs.next()) {
                pass.committedDigests.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getString(3));
            }
        }
        pass.v3.commit();
    }

    // ---- poll v2 and split ------------------------------------------------------------------

    public String digestQuery(V2Pass pass, V2Table table) {
        return table.digestQuery(pass.pageRows);
    }

    /** The pages of a table now, and the pages the last pass had that are empty now (every row deleted). */
    public List<V2Pass.Page> pages(V2Pass pass, V2Table table, List<Map<String, Object>> digests) {
        Map<Long, V2Pass.Page> pages = new TreeMap<>();
        for (Map<String, Object> d : digests) {
            long page = ((Number) d.get("page")).longValue();
            pages.put(page, new V2Pass.Page(table.name(), page, page * pass.pageRows, (page + 1) * pass.pageRows, (String) d.get("digest"),
                    ((Number) d.get("n")).longValue()));
        }
        for (Long page : pass.committedDigests.getOrDefault(table.name(), Map.of()).keySet()) {
            pages.putIfAbsent(page, new V2Pass.Page(table.name(), page, page * pass.pageRows, (page + 1) * pass.pageRows, null, 0));
        }
        return new ArrayList<>(pages.values());
    }

    /** The idempotent consumer's question: did a committed pass load this page with this very digest? */
    public boolean committed(String key) {
        V2Pass pass = current;
        if (pass == null) {
            return false;
        }
        String[] parts = key.split("/", 3);
        String digest = pass.committedDigests.getOrDefault(parts[0], Map.of()).get(Long.parseLong(parts[1]));
        return digest != null && digest.equals(parts[2]);
    }

    /** A page the idempotent consumer skipped: its rows are all as the last pass left them. */
    public void unchanged(V2Pass pass, V2Pass.Page page) {
        V2Result.TableCounts t = pass.result.table(page.table());
        t.addRead(page.rows());
        t.addUnchanged(page.rows());
        pass.result.pageSkipped();
    }

    /** Poll v2, first step of a changed page: only the ids and hashes of its rows. */
    public String hashQuery(V2Pass pass, V2Pass.Page page) {
        return table(pass, page.table()).hashQuery(page.lo(), page.hi());
    }

    private static V2Table table(V2Pass pass, String name) {
        return pass.tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    // ---- dedup, poll the rows, transform, load -------------------------------------------------

    /**
     * Row by row against the lineage, on the hashes alone: a row the lineage does not know, or
     * knows with another hash, is fetched; an unchanged one is counted and not read; an id the
     * lineage has and v2 no longer has is a deletion.
     */
    public V3Page dedup(V2Pass pass, V2Pass.Page page, List<Map<String, Object>> hashes) throws SQLException {
        V3Page p = new V3Page(table(pass, page.table()), page.page(), page.lo(), page.hi(), page.digest());
        try (PreparedStatement ps = pass.v3.prepareStatement(
                "SELECT v2_id, row_hash, outcome, deleted FROM ferry_v2.source_rows WHERE v2_table = ? AND v2_id >= ? AND v2_id < ?")) {
            ps.setString(1, page.table());
            ps.setLong(2, page.lo());
            ps.setLong(3, page.hi());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    p.known.put(rs.getLong(1), new V3Page.Known(rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        Set<Long> present = new java.util.HashSet<>();
        for (Map<String, Object> h : hashes) {
            long id = ((Number) h.get("id")).longValue();
            long hash = ((Number) h.get("row_hash")).longValue();
            present.add(id);
            V3Page.Known k = p.known.get(id);
            if (k != null && k.hash() == hash && !k.deleted()) {
                p.read++;
                p.unchanged++;
            } else {
                p.fetch.add(id);
            }
        }
        p.wholePage = p.fetch.size() == hashes.size();
        hashes.clear();
        p.known.forEach((id, k) -> {
            if (!k.deleted() && !present.contains(id)) {
                p.deleted.add(id);
            }
        });
        return p;
    }

    /** Poll v2, second step: the rows to load, the whole page by its id range when every row is to be read. */
    public String rowsQuery(V2Pass pass, V3Page p) {
        return p.wholePage ? p.table.pageQuery(p.lo, p.hi) : p.table.rowsQuery(p.fetch);
    }

    /**
     * The mapping of formats §3, and each row's place: new, or changed since the last pass (a row
     * that changed back between the two reads is unchanged after all).
     */
    public V3Page transform(V2Pass pass, V3Page p, List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            Mapped m = mapper.map(p.table.name(), row);
            p.read++;
            V3Page.Known k = p.known.get(m.v2Id());
            if (k == null) {
                p.fresh.add(m);
            } else if (k.hash() == m.rowHash() && !k.deleted()) {
                p.unchanged++;
            } else {
                p.changed.add(new V3Page.Changed(m, k.outcome(), k.hash()));
            }
        }
        rows.clear(); // the exchange that carried them may outlive the page (Camel hands its completions to the split's parent)
        return p;
    }

    /**
     * One transaction: the page's v3 rows, lineage, rejects and digest (the checkpoint). A dry run
     * keeps the whole pass in one transaction, rolled back at its end, so later tables still see
     * the rows earlier ones would have made (an sltp order its trade's order).
     */
    public V2Pass load(V2Pass pass, V3Page page) throws SQLException {
        // pages are the pass's checkpoints: stopping before one leaves every committed page for the next pass
        stop.check("v2 " + pass.request.command() + " run " + pass.run.getRunId());
        // the page is counted apart and added to the pass only once its transaction committed
        V2Result counted = pass.result.scratch();
        // a savepoint, not the transaction: a dry run keeps every page of the pass in one transaction
        java.sql.Savepoint before = pass.v3.setSavepoint();
        try {
            writer.load(pass.v3, pass.run.getRunId(), page, pass.applyDeletes, counted);
        } catch (SQLException e) {
            if (isConnectionLost(e)) {
                throw e;
            }
            pass.v3.rollback(before);
            counted = rowByRow(pass, page, e);
        } catch (RuntimeException e) {
            pass.v3.rollback(before);
            throw e;
        }
        try {
            if (!pass.request.dryRun()) {
                pass.v3.commit();
            }
        } catch (SQLException e) {
            pass.v3.rollback();
            throw e;
        }
        pass.result.merge(counted);
        pass.result.pageRead();
        page.release();
        return pass;
    }

    /**
     * PostgreSQL refused the page as a whole (a rule of the platform's the mapping does not know):
     * each row alone under a savepoint, a refused one rejected with the database's reason, then the
     * rest of the page and its checkpoint. Bad data never stops the load.
     */
    private V2Result rowByRow(V2Pass pass, V3Page page, SQLException cause) throws SQLException {
        LOG.warn("v2 {} page {}: v3 refused the page ({}); loading its rows one by one", page.table.name(), page.page, rootMessage(cause));
        V2Result counted = pass.result.scratch();
        long run = pass.run.getRunId();
        for (Mapped m : page.rows()) {
            V3Page one = page.single(m);
            java.sql.Savepoint sp = pass.v3.setSavepoint();
            V2Result row = pass.result.scratch();
            try {
                writer.load(pass.v3, run, one, pass.applyDeletes, row);
                pass.v3.releaseSavepoint(sp);
                counted.merge(row);
            } catch (SQLException e) {
                pass.v3.rollback(sp);
                if (isConnectionLost(e)) {
                    throw e;
                }
                writer.refused(pass.v3, run, one, m, rootMessage(e), counted);
            }
        }
        writer.load(pass.v3, run, page.rest(), pass.applyDeletes, counted);
        return counted;
    }

    /** A lost connection (SQLSTATE class 08) or a server going down (57P) is not the data's fault: the pass stops, to be run again. */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    // ---- end ----------------------------------------------------------------------------------

    /** The pass's end: validation after a full pass and at cutover, the cutover mark, the run's end in Ferry's ledger. */
    public V2Result end(V2Pass pass) {
        V2Result r = pass.result;
        try {
            if (r.getStatus() == V2Result.Status.FAILED) {
                finishRun(pass, RunStatus.FAILED);
                return r;
            }
            if (!pass.request.dryRun() && !pass.request.command().equals("sync")) {
                r.setValidation(validator.validate(pass.v3, pass.tables, pass.pageRows));
            }
            if (pass.request.command().equals("cutover") && !pass.request.dryRun()) {
                boolean safe = r.getValidation().isValid();
                r.setSafeToSwitch(safe);
                if (safe) {
                    setState(pass.v3, "cutover", java.time.Instant.now().toString());
                    pass.v3.commit();
                    r.setMessage("v3 matches v2: safe to switch");
                } else {
                    r.setStatus(V2Result.Status.DIFFERS);
                    r.setMessage("v3 does not match v2 yet: " + r.getValidation().getMismatchCount() + " difference(s), "
                            + r.getValidation().getErrors().size() + " failed check(s); not cut over");
                }
            } else if (r.getValidation() != null && !r.getValidation().isValid()) {
                r.setStatus(V2Result.Status.DIFFERS);
            }
            r.finish();
            finishRun(pass, r.ok() ? RunStatus.COMPLETED : RunStatus.FAILED);
        } catch (SQLException | RuntimeException e) {
            r.fail("ending the pass: " + rootMessage(e));
            finishRun(pass, RunStatus.FAILED);
        } finally {
            close(pass);
        }
        return r;
    }

    /** A pass that failed on the way (v2 or v3 gone, a statement refused): what was committed stays; the next pass continues from it. */
    public V2Pass failed(V2Pass pass, Exception e) {
        V2Result r = pass.result;
        r.fail(rootMessage(e) + " (pages committed before stay; run the same command again to continue)");
        LOG.warn("v2 {} run {} failed: {}", pass.request.command(), r.getRunId(), r.getMessage());
        return pass;
    }

    private void finishRun(V2Pass pass, RunStatus status) {
        RunResult run = pass.run;
        V2Result r = pass.result;
        long read = 0;
        long loaded = 0;
        long unchanged = 0;
        long rejected = 0;
        for (V2Result.TableCounts t : r.getTables().values()) {
            read += t.getRead();
            loaded += t.getLoaded() + t.getUpdated();
            unchanged += t.getUnchanged();
            rejected += t.getRejected();
        }
        run.setRecordsRead(read);
        run.setLoaded(loaded);
        run.setDuplicates(unchanged);
        run.setRejected(rejected);
        run.setOrders(r.getV3Rows().getOrDefault("orders", 0L));
        run.setFills(r.getV3Rows().getOrDefault("trades", 0L));
        run.finish(status, r.getMessage());
        try {
            runs.finish(pass.control, run);
        } catch (SQLException e) {
            LOG.warn("recording the end of v2 run {}: {}", run.getRunId(), e.getMessage());
        }
    }

    private void close(V2Pass pass) {
        if (current == pass) {
            current = null;
        }
        release(pass.v3);
        closeQuietly(pass.control);
        busy.release();
    }

    static Optional<String> state(Connection v3, String key) throws SQLException {
        try (PreparedStatement ps = v3.prepareStatement("SELECT value FROM ferry_v2.state WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Optional.empty(); // no lineage schema yet: nothing happened
            }
            throw e;
        }
    }

    private static void setState(Connection v3, String key, String value) throws SQLException {
        try (PreparedStatement ps = v3.prepareStatement("INSERT INTO ferry_v2.state (key, value) VALUES (?, ?) "
                + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = now()")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    /** The Quartz sync's question: has the migration been cut over (then the sync stops itself)? */
    public boolean cutOver() {
        try (Connection c = target.connect()) {
            return state(c, "cutover").isPresent();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing: {}", e.getMessage());
            }
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
