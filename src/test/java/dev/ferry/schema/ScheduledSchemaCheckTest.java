package dev.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.ferry.core.schema.SchemaResult;
import dev.ferry.schema.report.SchemaReports;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.Test;

/** The Quartz check: verify and diff of a project on a schedule, drift reported in JMX's summary and an HTML report. */
class ScheduledSchemaCheckTest extends FerryTestSupport {

    private static final String PROJECT = Path.of("config/schema/trading-system").toAbsolutePath().toString();

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.schema.verify.enabled", "true", "ferry.schema.verify.cron", "0/1+*+*+*+*+?", "ferry.schema.verify.projects", PROJECT);
    }

    @Test
    void driftOfTheLiveSchemaShowsInTheLastDiffAndItsReport() throws Exception {
        SchemaResult migrated = ferry.template().requestBodyAndHeaders("direct:schema", null,
                Map.of("FerrySchemaCommand", "migrate", "FerrySchemaProject", PROJECT), SchemaResult.class);
        assertThat(migrated.getErrors()).isEmpty();
        db.execute("CREATE INDEX prices_by_volume ON public.prices (volume)");
        SchemaReports reports = ferry.context().getRegistry().lookupByNameAndType("schemaReports", SchemaReports.class);

        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        // a diff that began while the migration was still between its versions compares a half-read history; wait for one after it
        while (!(reports.last("diff").contains("FAILED") && reports.last("diff").contains("version 1.1.0")) && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        assertThat(reports.last("diff")).startsWith("schema diff trading-system: FAILED").contains("1 difference");
        assertThat(reports.last("verify")).startsWith("schema verify trading-system: OK");
        // diffs from before the drift wrote OK reports too: the one that saw the drift must say so
        List<String> pages = new ArrayList<>();
        try (Stream<Path> s = Files.list(work.resolve("reports"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("schema-diff-trading-system-") && p.toString().endsWith(".html")).toList()) {
                pages.add(Files.readString(p));
            }
        }
        assertThat(pages).anySatisfy(page -> assertThat(page).contains("verdict FAILED").contains("extra index public.prices_by_volume"));
    }
}
