package dev.ferry.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.JmxServer;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 migration through its other entry points, into Ferry's own database (the default
 * target), from the configured source (ferry.v2.url): JMX's V2Control, the Quartz sync, and the
 * generic `ferry rollback --run` of a v2 run. All reach direct:v2.
 */
class V2EntryPointsTest extends FerryTestSupport {

    private TestDatabase v2;

    @Override
    protected Map<String, String> extraSettings() {
        v2 = new TestDatabase(getClass(), "v2");
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.small().quirks(false).create(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("ferry.v2.url", v2.url(), "ferry.v2.sync.cron", "0/1+*+*+*+*+?");
    }

    @AfterAll
    void dropSource() {
        if (v2 != null) {
            v2.close();
        }
    }

    @Test
    void jmxQuartzAndTheGenericRollbackAllReachTheSameRoute() throws Exception {
        ObjectName control = new ObjectName("org.apache.camel:context=ferry,type=services,name=V2Control");
        try (JmxServer jmx = new JmxServer()) {
            MBeanServerConnection mbeans = jmx.connection();
            String migrated = (String) mbeans.invoke(control, "migrate", new Object[] {"", "", false, true},
                    new String[] {"java.lang.String", "java.lang.String", "boolean", "boolean"});
            assertThat(migrated).contains("v2 migrate run", ": OK", "every table adds up", "VALID");
            assertThat((String) mbeans.getAttribute(control, "LastResult")).startsWith("v2 migrate run");
            String status = (String) mbeans.invoke(control, "status", new Object[] {""}, new String[] {"java.lang.String"});
            assertThat(status).contains("trades: " + v2.count("SELECT count(*) FROM trades") + " v2 row(s) loaded");
            assertThat((String) mbeans.getAttribute(control, "SyncState")).isEqualTo("Stopped");
            // a source URL with a password in it is never echoed
            String refused = (String) mbeans.invoke(control, "validate", new Object[] {v2.url() + "?password=secret", ""},
                    new String[] {"java.lang.String", "java.lang.String"});
            assertThat(refused).doesNotContain("secret");
        }

        // the Quartz sync, started as an operator would, picks up the bot's next trades
        long orders = db.count("SELECT count(*) FROM orders");
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.mutate(c, 10, 5);
        }
        long inserted = v2.count("SELECT count(*) FROM trades") - v2.count("SELECT count(*) FROM trades WHERE id <= 60");
        ferry.context().getRouteController().startRoute("v2-sync");
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (db.count("SELECT count(*) FROM orders") < orders + inserted && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        ferry.context().getRouteController().stopRoute("v2-sync");
        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(orders + inserted);
        long syncRun = db.count("SELECT max(id) FROM ferry.runs WHERE flow = 'v2' AND source_file LIKE 'sync %'");
        assertThat(syncRun).isPositive();

        // `ferry rollback --run` of a v2 run goes to the v2 rollback: the sync's new orders are gone again
        RunResult undone = ferry.template().requestBodyAndHeaders("direct:rollback-run", null,
                Map.of("FerryRunId", lastSyncThatLoaded(), "FerryDryRun", false, "FerryForce", false, "FerryConfirm", "DELETE"), RunResult.class);
        assertThat(undone.getStatus()).as(undone.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(orders);
    }

    /** The sync run that wrote the new orders (later syncs found nothing new). */
    private long lastSyncThatLoaded() {
        return db.count("SELECT min(first_run) FROM ferry_v2.written WHERE v3_table = 'orders' AND first_run > "
                + "(SELECT min(id) FROM ferry.runs WHERE flow = 'v2')");
    }
}
