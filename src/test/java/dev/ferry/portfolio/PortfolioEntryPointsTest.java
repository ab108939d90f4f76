package dev.ferry.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.demo.DashboardDatabaseGenerator;
import dev.ferry.portfolio.report.PortfolioResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.JmxServer;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The portfolio migration through its other entry points, against the configured dashboard
 * (ferry.portfolio.url): JMX's PortfolioControl with an empty target, and request files dropped
 * into inbox/portfolio/ of a running Ferry. Both reach direct:portfolio.
 */
class PortfolioEntryPointsTest extends FerryTestSupport {

    private static final String STRING = "java.lang.String";
    private static final String BOOLEAN = "boolean";

    private TestDatabase dash;

    @Override
    protected boolean watch() {
        return true;
    }

    @Override
    protected Map<String, String> extraSettings() {
        // the database is named after the class, so the URL Ferry starts with still holds when each test recreates it
        dash = new TestDatabase(getClass(), "dash");
        return Map.of("ferry.portfolio.url", dash.url());
    }

    @BeforeEach
    void freshDashboard() throws SQLException {
        dash = new TestDatabase(getClass(), "dash");
        try (Connection c = dash.connect()) {
            new DashboardDatabaseGenerator().signals(500).prices(2_000).create(c);
        }
    }

    @AfterAll
    void dropDashboard() {
        if (dash != null) {
            dash.close();
        }
    }

    /** The version the engine's history holds; null while nothing (not even a baseline) has touched the dashboard. */
    private String appliedVersion() {
        if (dash.text("SELECT to_regclass('ferry_schema.applied')") == null) {
            return null;
        }
        return dash.text("SELECT max(version) FROM ferry_schema.applied WHERE project = 'portfolio'");
    }

    private PortfolioResult check() {
        return ferry.template().requestBodyAndHeaders("direct:portfolio", null, PortfolioMigration.headers("check", null, false, false),
                PortfolioResult.class);
    }

    @Test
    void jmxChecksMigratesAndRollsBackTheConfiguredDashboard() throws Exception {
        ObjectName control = new ObjectName("org.apache.camel:context=ferry,type=services,name=PortfolioControl");
        try (JmxServer jmx = new JmxServer()) {
            MBeanServerConnection mbeans = jmx.connection();
            String check = (String) mbeans.invoke(control, "check", new Object[] {""}, new String[] {STRING});
            // an empty target is ferry.portfolio.url, not Ferry's own database (whose name is a prefix of the dashboard's)
            assertThat(check).startsWith("portfolio check of " + dash.url() + "\n")
                    .contains("  version: 1.0.0 — recognised from the catalog and baselined", "next: ferry portfolio phase1");
            assertThat((String) mbeans.getAttribute(control, "LastResult")).isEqualTo("portfolio check of " + dash.url() + ": OK, version 1.0.0");

            String dry = (String) mbeans.invoke(control, "phase1", new Object[] {"", true}, new String[] {STRING, BOOLEAN});
            assertThat(dry).startsWith("[dry-run] portfolio phase1").contains("sql: ");
            assertThat(appliedVersion()).as("a dry run changes nothing").isEqualTo("1.0.0");

            String phase1 = (String) mbeans.invoke(control, "phase1", new Object[] {"", false}, new String[] {STRING, BOOLEAN});
            assertThat(phase1).contains("  version: 2.0.0 (was 1.0.0) — the schema history (ferry_schema)", "  backup: ferry_backup_",
                    ": OK, 1.0.0 -> 2.0.0");
            assertThat((String) mbeans.getAttribute(control, "LastResult")).endsWith(": OK, 1.0.0 -> 2.0.0");
            assertThat(appliedVersion()).isEqualTo("2.0.0");

            String unconfirmed = (String) mbeans.invoke(control, "rollback", new Object[] {"", false, false}, new String[] {STRING, BOOLEAN, BOOLEAN});
            assertThat(unconfirmed).contains(": REFUSED, version 2.0.0 (rollback needs confirming");
            assertThat(appliedVersion()).isEqualTo("2.0.0");

            String rollback = (String) mbeans.invoke(control, "rollback", new Object[] {"", false, true}, new String[] {STRING, BOOLEAN, BOOLEAN});
            assertThat(rollback).contains("  version: 1.0.0 (was 2.0.0)", ": OK, 2.0.0 -> 1.0.0");
            assertThat((String) mbeans.getAttribute(control, "LastResult")).endsWith(": OK, 2.0.0 -> 1.0.0");
            assertThat(appliedVersion()).isEqualTo("1.0.0");
            // the backup keeps a copy of portfolios in its own schema; the dashboard's is gone
            assertThat(dash.text("SELECT to_regclass('public.portfolios')")).isNull();

            String after = (String) mbeans.invoke(control, "check", new Object[] {""}, new String[] {STRING});
            assertThat(after).contains("  version: 1.0.0 — the schema history (ferry_schema)");
        }
        assertThat(db.text("SELECT string_agg(status || ' ' || message, '; ' ORDER BY id) FROM ferry.runs WHERE flow = 'portfolio'"))
                .startsWith("completed 1.0.0 -> 2.0.0, backup ferry_backup_").contains("; completed 2.0.0 -> 1.0.0, backup ferry_backup_");
    }

    @Test
    void aCheckRequestFileMovesToDoneWithItsReportsBesideIt() throws Exception {
        drop("check.json", "{\"command\": \"check\"}");

        JsonNode report = movedTo("done", "check.json");
        assertThat(fields(report, "command", "status", "version", "target")).isEqualTo("check OK 1.0.0 " + dash.url());
        assertThat(Files.readString(work.resolve("done/portfolio/check.json.report.html"))).contains("Version <b>1.0.0</b>");
        assertThat(appliedVersion()).as("the check baselined the dashboard").isEqualTo("1.0.0");
    }

    @Test
    void aConfirmedPhaseOneRequestMigratesTheConfiguredDashboard() throws Exception {
        drop("phase1.json", "{\"command\": \"phase1\", \"confirm\": true}");

        JsonNode report = movedTo("done", "phase1.json");
        assertThat(fields(report, "command", "status", "fromVersion", "version")).isEqualTo("phase1 OK 1.0.0 2.0.0");
        assertThat(appliedVersion()).isEqualTo("2.0.0");
        assertThat(dash.count("SELECT count(*) FROM price_history WHERE portfolio_id = 'DEFAULT'")).isEqualTo(2_000);
    }

    @Test
    void aRequestWithAnUnknownFieldGoesToErrorNamingItAndRunsNothing() throws Exception {
        long runs = db.count("SELECT count(*) FROM ferry.runs WHERE flow = 'portfolio'");
        drop("misspelt.json", "{\"command\": \"phase1\", \"confirm\": true, \"dryrun\": true}");

        JsonNode report = movedTo("error", "misspelt.json");
        assertThat(fields(report, "command", "status")).isEqualTo("request REFUSED");
        assertThat(report.get("errors").get(0).asText()).contains("unknown field \"dryrun\"", "nothing was run");
        assertThat(Files.readString(work.resolve("error/portfolio/misspelt.json.report.html"))).contains("dryrun");
        // not even a baseline: the dashboard is as its own init.sql left it, still 1.0
        assertThat(appliedVersion()).isNull();
        assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE flow = 'portfolio'")).isEqualTo(runs);
        PortfolioResult check = check();
        assertThat(check.getVersion()).isEqualTo("1.0.0");
        assertThat(check.getVersionSource()).startsWith("recognised from the catalog and baselined");
    }

    @Test
    void anEmptyFileGoesToErrorAndDoesNotHoldUpTheNextRequest() throws Exception {
        Path empty = work.resolve("inbox/portfolio/empty.json");
        Files.createDirectories(empty.getParent());
        Files.createFile(empty);
        drop("after-empty.json", "{\"command\": \"check\"}");

        assertThat(movedTo("error", "empty.json").get("errors").get(0).asText()).contains("empty.json is empty");
        assertThat(movedTo("done", "after-empty.json").get("version").asText()).isEqualTo("1.0.0");
    }

    /** Written beside the inbox and moved in whole, as a careful client does. */
    private void drop(String name, String content) throws Exception {
        Path staged = file("staging/" + name, content);
        Path target = work.resolve("inbox/portfolio").resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Waits until Ferry has moved the request out of the inbox, asserts it went to folder (done or
     * error, whichever it reached, so a request in the wrong one fails at once), and reads its JSON
     * report: reports are written before the move, so they are complete by then.
     */
    private JsonNode movedTo(String folder, String name) throws Exception {
        Path done = work.resolve("done/portfolio").resolve(name);
        Path error = work.resolve("error/portfolio").resolve(name);
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(done) && !Files.exists(error) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(work.resolve("inbox/portfolio").resolve(name)).as("%s left the inbox", name).doesNotExist();
        Path expected = work.resolve(folder + "/portfolio").resolve(name);
        assertThat(Files.exists(done) ? done : error).isEqualTo(expected);
        return ReportWriter.JSON.readTree(Path.of(expected + ".report.json").toFile());
    }

    /** The report's top-level values, space-separated, so one assertion shows every one that differs. */
    private static String fields(JsonNode report, String... names) {
        return String.join(" ", Arrays.stream(names).map(n -> report.path(n).asText("missing " + n)).toList());
    }
}
