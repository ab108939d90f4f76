package dev.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import dev.ferry.core.schema.SchemaResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.JmxServer;
import org.junit.jupiter.api.Test;

/**
 * The schema flow through its entry points, on Ferry's own test database: the route the CLI
 * uses, JMX, a folder dropped into inbox/schema/ and the built-in project {@code ferry}.
 */
class SchemaEntryPointsTest extends FerryTestSupport {

    private static final String PROJECT = Path.of("config/schema/trading-system").toAbsolutePath().toString();

    @Override
    protected boolean watch() {
        return true;
    }

    private SchemaResult schema(String command, String project, Map<String, Object> more) {
        Map<String, Object> h = new HashMap<>(more);
        h.put("FerrySchemaCommand", command);
        h.put("FerrySchemaProject", project);
        return ferry.template().requestBodyAndHeaders("direct:schema", null, h, SchemaResult.class);
    }

    @Test
    void builtInProjectIsFerrysOwnSchemaAndDiffsClean() {
        SchemaResult status = schema("status", "ferry", Map.of());
        assertThat(status.getCurrentVersion()).isEqualTo("12");
        assertThat(status.getPending()).isEmpty();
        assertThat(status.getDrift()).isEmpty();
        SchemaResult diff = schema("diff", "ferry", Map.of());
        assertThat(diff.getDifferences()).isEmpty();
        assertThat(diff.getStatus()).isEqualTo(SchemaResult.Status.OK);
    }

    @Test
    void routeWritesReportsAndUndoNeedsConfirmation() throws Exception {
        SchemaResult migrated = schema("migrate", PROJECT, Map.of());
        assertThat(migrated.getErrors()).isEmpty();
        assertThat(migrated.getCurrentVersion()).isEqualTo("1.1.0");
        try (Stream<Path> reports = Files.list(work.resolve("reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("schema-migrate-trading-system-") && n.endsWith(".json"))
                    .anyMatch(n -> n.startsWith("schema-migrate-trading-system-") && n.endsWith(".html"));
        }
        SchemaResult unconfirmed = schema("undo", PROJECT, Map.of());
        assertThat(unconfirmed.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(unconfirmed.getErrors().get(0)).contains("--confirm UNDO");
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'adjusted_close'"))
                .isEqualTo(1);
        SchemaResult undone = schema("undo", PROJECT, Map.of("FerryConfirm", "UNDO", "FerrySchemaTo", "0"));
        assertThat(undone.getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).isZero();

        SchemaResult badProject = schema("status", work.resolve("no-such-project").toString(), Map.of());
        assertThat(badProject.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(badProject.getErrors().get(0)).contains("no such project folder");
        SchemaResult passwordInUrl = schema("status", PROJECT, Map.of("FerrySchemaTarget", db.url() + "?password=secret"));
        assertThat(passwordInUrl.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(passwordInUrl.summaryLine()).doesNotContain("secret");
    }

    @Test
    void jmxOperationsGoThroughTheSameRoute() throws Exception {
        try (JmxServer jmx = new JmxServer()) {
            MBeanServerConnection mbeans = jmx.connection();
            ObjectName control = new ObjectName("org.apache.camel:context=ferry,type=services,name=SchemaControl");
            String status = (String) mbeans.invoke(control, "status", new Object[] {"ferry", ""}, new String[] {"java.lang.String", "java.lang.String"});
            assertThat(status).contains("schema status ferry: OK, version 12");
            String verify = (String) mbeans.invoke(control, "verify", new Object[] {"ferry", ""}, new String[] {"java.lang.String", "java.lang.String"});
            assertThat(verify).contains("schema verify ferry: OK");
            assertThat((String) mbeans.getAttribute(control, "LastVerify")).startsWith("schema verify ferry: OK");
        }
    }

    @Test
    void droppedProjectIsTestedAndDryRunButNotApplied() throws Exception {
        Path drop = work.resolve("inbox/schema/.incoming-prices");
        Path v1 = Files.createDirectories(drop.resolve("1.0.0__bars"));
        Files.writeString(v1.resolve("up.sql"), "CREATE TABLE bars (id bigint PRIMARY KEY, close numeric(10,2));");
        Files.writeString(v1.resolve("down.sql"), "DROP TABLE bars;");
        Files.writeString(v1.resolve("verify.sql"), "SELECT to_regclass('bars') IS NOT NULL;");
        Path v2 = Files.createDirectories(drop.resolve("1.1.0__bars_index"));
        Files.writeString(v2.resolve("up.sql"), "CREATE INDEX bars_close ON bars (close);");
        Files.writeString(v2.resolve("down.sql"), "DROP INDEX bars_close;");
        Files.writeString(v2.resolve("verify.sql"), "SELECT to_regclass('bars_close') IS NOT NULL;");
        // the folder appears whole, as a user's mv would make it
        Files.move(drop, work.resolve("inbox/schema/prices-project"));

        Path done = work.resolve("done/schema/prices-project");
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.isDirectory(done) && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        assertThat(done).isDirectory();
        assertThat(work.resolve("done/schema/prices-project.schema-test.json")).exists();
        assertThat(work.resolve("done/schema/prices-project.schema-test.html")).exists();
        assertThat(Files.readString(work.resolve("done/schema/prices-project.schema-migrate-dry-run.json")))
                .contains("CREATE INDEX bars_close ON bars (close);");
        assertThat(Files.readString(work.resolve("done/schema/prices-project.schema-test.json"))).contains("\"status\" : \"OK\"");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'bars'")).as("nothing applied by default").isZero();
        assertThat(work.resolve("inbox/schema/prices-project")).doesNotExist();
    }
}
