package dev.ferry.sqlite.report;

import java.io.IOException;

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
    public MigrationResult write(MigrationResult result, Boolean callerPrints) {
        // a full or read-only reports folder costs the report, not the migration that has committed
        ReportWriter.writeReport(settings.reportsDir(), result.getRun().getRunId(), result);
        LOG.info("{}", result.getRun().summaryLine());
        if (result.getValidation() != null) {
            // the validation also as the file flows' validation report: JSON and HTML, and JMX's last validation
            try {
                validations.write(SqliteValidationReport.of(result));
            } catch (IOException e) {
                LOG.warn("The validation of run {} is in its result, but its report could not be written to {}: {}",
                        result.getRun().getRunId(), settings.reportsDir(), e.toString());
            }
        }
        if (System.console() == null && !Boolean.TRUE.equals(callerPrints)) {
            LOG.info("\n{}", MigrationConsole.render(result));
        }
        return result;
    }
}
