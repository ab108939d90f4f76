package dev.ferry.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import dev.ferry.support.JmxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ferry's MBean and Camel's route MBeans, used through a real JMX (RMI) connection as JConsole would. */
class FerryOperationsJmxTest extends FerryTestSupport {

    private JmxServer jmx;
    private MBeanServerConnection mbeans;
    private ObjectName ferryOps;

    @BeforeAll
    void connect() throws Exception {
        jmx = new JmxServer();
        mbeans = jmx.connection();
        Set<ObjectName> found = mbeans.queryNames(new ObjectName("org.apache.camel:context=ferry,type=services,name=FerryOperations"), null);
        assertThat(found).as("Ferry's MBean under Camel's domain").hasSize(1);
        ferryOps = found.iterator().next();
    }

    @AfterAll
    void disconnect() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
    }

    @BeforeEach
    void empty() {
        db.emptyTables();
    }

    private Path botFolder(String name) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("trades_history.json"), Fixtures.formatsExample());
        return dir;
    }

    private Object invoke(String operation, Object[] args, String[] signature) throws Exception {
        return mbeans.invoke(ferryOps, operation, args, signature);
    }

    private String migrate(Path dir, long userId, boolean dryRun) throws Exception {
        return (String) invoke("migrateDataDir", new Object[] {dir.toString(), userId, dryRun},
                new String[] {"java.lang.String", "long", "boolean"});
    }

    private long lastRunId() {
        return db.count("SELECT max(id) FROM ferry.runs WHERE flow = 'trades_history'");
    }

    @Test
    void theMBeanSitsInCamelsDomainUnderTheContextName() {
        assertThat(ferryOps.getDomain()).isEqualTo("org.apache.camel");
        assertThat(ferryOps.getKeyProperty("context")).isEqualTo("ferry");
    }

    @Test
    void migrateThroughJmxLoadsTheFolderAndTheAttributesShowTheRun() throws Exception {
        String summary = migrate(botFolder("bot-migrate"), 1, false);

        assertThat(summary).startsWith("trades_history ").contains(": completed", "read=3 loaded=3", "orders=4 fills=3");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 1")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM trading.fills WHERE user_id = 1")).isEqualTo(3);
        String[] recent = (String[]) mbeans.getAttribute(ferryOps, "RecentRuns");
        assertThat(recent[0]).startsWith(lastRunId() + " trades_history ").contains("completed", "read=3 loaded=3 duplicates=0 rejected=0");
        assertThat((Long) mbeans.getAttribute(ferryOps, "TotalRowsLoaded")).as("4 orders + 3 fills").isEqualTo(7);
        assertThat((Long) mbeans.getAttribute(ferryOps, "TotalRejects")).isZero();
    }

    @Test
    void aDryRunMigrateChangesNothingAndCountsNoRows() throws Exception {
        String summary = migrate(botFolder("bot-dry"), 1, true);

        assertThat(summary).startsWith("[dry-run] trades_history").contains("loaded=3");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
        assertThat((Long) mbeans.getAttribute(ferryOps, "TotalRowsLoaded")).isZero();
    }

    @Test
    void rollbackIsRefusedWithoutDeleteShownByTheDryRunAndDoneWithDelete() throws Exception {
        migrate(botFolder("bot-rollback"), 1, false);
        long runId = lastRunId();
        String[] sig = {"long", "java.lang.String", "boolean"};

        String refused = (String) invoke("rollbackRun", new Object[] {runId, "yes", false}, sig);
        assertThat(refused).contains("refused", "confirm with DELETE");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4);

        String dry = (String) invoke("rollbackRunDryRun", new Object[] {runId}, new String[] {"long"});
        assertThat(dry).contains("would remove 4 order(s), 3 fill(s)");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4);

        String done = (String) invoke("rollbackRun", new Object[] {runId, "DELETE", false}, sig);
        assertThat(done).contains("rollback", ": completed");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
        assertThat(db.count("SELECT count(*) FROM trading.fills")).isZero();
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + runId)).isEqualTo("rolled_back");
        assertThat((Long) mbeans.getAttribute(ferryOps, "TotalRowsLoaded")).as("rolled back rows no longer count").isZero();
    }

    @Test
    void aFailingOperationGivesTheClientAPlainMessage() {
        assertThatThrownBy(() -> migrate(work.resolve("no-such-folder"), 1, false))
                .satisfies(e -> assertThat(rootMessage(e)).contains("migrating", "no such data folder"));
    }

    @Test
    void validateAnswersThroughTheValidateRouteAndShowsAsTheLastValidation() throws Exception {
        Path dir = botFolder("bot-validate");
        migrate(dir, 1, false);

        String answer = (String) invoke("validate", new Object[] {1L, dir.toString()}, new String[] {"long", "java.lang.String"});

        assertThat(answer).startsWith("VALID: user 1, " + dir.toAbsolutePath());
        assertThat((String) mbeans.getAttribute(ferryOps, "LastValidation")).startsWith(answer + "; report ").endsWith(".html");
    }

    @Test
    void aValidationFromAnotherEntryPointShowsAsTheLastValidation() throws Exception {
        Path dir = botFolder("bot-validate-cli");
        // the CLI's and the schedule's way in: the route itself, no JMX
        Object result = ferry.template().requestBodyAndHeaders("direct:validate", null, Map.of("FerryUserId", 1L, "FerryDataDir", dir.toString()));

        assertThat(String.valueOf(result)).startsWith("INVALID");
        assertThat((String) mbeans.getAttribute(ferryOps, "LastValidation")).startsWith(String.valueOf(result));
    }

    @Test
    void camelsRouteMBeansSuspendAndResumeTheImportRoute() throws Exception {
        Set<ObjectName> routes = mbeans.queryNames(new ObjectName("org.apache.camel:context=ferry,type=routes,name=\"import-bot-file\",*"), null);
        assertThat(routes).hasSize(1);
        ObjectName route = routes.iterator().next();

        mbeans.invoke(route, "suspend", null, null);
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Suspended");
        assertThat(ferry.context().getRouteController().getRouteStatus("import-bot-file").isSuspended()).isTrue();

        mbeans.invoke(route, "resume", null, null);
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Started");
        assertThat(migrate(botFolder("bot-after-resume"), 1, false)).contains("loaded=3");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
