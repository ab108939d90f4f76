package dev.ferry.v2.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.core.report.ReportWriter;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each v2 command's result as JSON and HTML in the reports folder, logs its summary, and
 * hands its validation to the shared validation reports (their own files, and JMX's last validation).
 */
public final class V2Reports {

    private static final Logger LOG = LoggerFactory.getLogger(V2Reports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final FerrySettings settings;
    private final ValidationReports validations;
    private volatile V2Result last;

    public V2Reports(FerrySettings settings, ValidationReports validations) {
        this.settings = settings;
        this.validations = validations;
    }

    public V2Result write(V2Result r, Boolean callerPrints) throws IOException {
        Path dir = settings.reportsDir();
        Files.createDirectories(dir);
        String base = "v2-" + r.getCommand() + (r.getRunId() == null ? "" : "-run-" + r.getRunId()) + "-" + STAMP.format(r.getStartedAt());
        ReportWriter.JSON.writeValue(dir.resolve(base + ".json").toFile(), r);
        Files.writeString(dir.resolve(base + ".html"), V2Html.render(r), StandardCharsets.UTF_8);
        if (r.getValidation() != null) {
            validations.write(r.getValidation());
        }
        last = r;
        (r.ok() ? LOG.atInfo() : LOG.atWarn()).log("{} (report {})", r.summaryLine(), dir.resolve(base + ".html"));
        if (!Boolean.TRUE.equals(callerPrints) && System.console() == null && !r.getTables().isEmpty()) {
            LOG.info("\n{}", V2Console.render(r));
        }
        return r;
    }

    /** The last v2 command this process ran, as one line; for JMX. */
    public String last() {
        V2Result r = last;
        return r == null ? "no v2 command has run since Ferry started" : r.summaryLine();
    }
}
