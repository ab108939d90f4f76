package dev.ferry.sqlite.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ferry.core.report.ReportWriter;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a migration's result as reports/run-&lt;id&gt;.json and logs its summary table. */
public final class MigrationReports {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationReports.class);

    private final FerrySettings settings;
    private final ValidationReports validations;

    public MigrationReports(FerrySettings settings, ValidationReports validations) {
        this.settings = settings;
        this.validations = validations;
    }

    /** With {@code callerPrints}, the caller shows the summary tables itself and the log keeps only the summary line. */
    public MigrationResult write(MigrationResult result, Boolean callerPrints) throws IOException {
        Path dir = settings.reportsDir();
        Files.createDirectories(dir);
        Long id = result.getRun().getRunId();
        String name = "run-" + (id == null ? "none-" + System.currentTimeMillis() : id) + ".json";
        ReportWriter.JSON.writeValue(dir.resolve(name).toFile(), result);
        LOG.info("{}", result.getRun().summaryLine());
        if (result.getValidation() != null) {
            // the validation also as the file flows' validation report: JSON and HTML, and JMX's last validation
            validations.write(SqliteValidationReport.of(result));
        }
        if (System.console() == null && !Boolean.TRUE.equals(callerPrints)) {
            LOG.info("\n{}", MigrationConsole.render(result));
        }
        return result;
    }
}
