package dev.ferry.portfolio.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.core.report.ReportWriter;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each portfolio command's result as JSON and HTML in the reports folder (and beside a
 * request file from the inbox), logs its summary, and keeps the last one for JMX.
 */
public final class PortfolioReports {

    private static final Logger LOG = LoggerFactory.getLogger(PortfolioReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final FerrySettings settings;
    private volatile PortfolioResult last;

    public PortfolioReports(FerrySettings settings) {
        this.settings = settings;
    }

    public PortfolioResult write(PortfolioResult r, Boolean callerPrints) throws IOException {
        Path dir = settings.reportsDir();
        Files.createDirectories(dir);
        String base = "portfolio-" + r.getCommand() + (r.getRunId() == null ? "" : "-run-" + r.getRunId()) + "-" + STAMP.format(r.getStartedAt());
        writeFiles(r, dir, base);
        last = r;
        (r.ok() ? LOG.atInfo() : LOG.atWarn()).log("{} (report {})", r.summaryLine(), dir.resolve(base + ".html"));
        if (!Boolean.TRUE.equals(callerPrints) && System.console() == null) {
            LOG.info("\n{}", PortfolioConsole.render(r));
        }
        return r;
    }

    /**
     * Where a request file goes once its command has ended: done/portfolio/ when it ran (a check
     * that found problems included), error/portfolio/ when it was refused or failed; never over an
     * earlier file of the same name.
     */
    public String destination(PortfolioResult r, String fileName) {
        Path dir = (r.stopped() ? settings.errorDir() : settings.doneDir()).resolve("portfolio");
        Path target = dir.resolve(fileName).normalize();
        if (Files.exists(target)) {
            target = dir.resolve(STAMP.format(r.getStartedAt()) + "-" + fileName);
        }
        return target.toString();
    }

    /** A request file's report: FILE.report.json and FILE.report.html beside where the file moves to. */
    public PortfolioResult writeBeside(PortfolioResult r, String movedTo) throws IOException {
        Path moved = Path.of(movedTo);
        Files.createDirectories(moved.getParent());
        writeFiles(r, moved.getParent(), moved.getFileName() + ".report");
        return r;
    }

    private static void writeFiles(PortfolioResult r, Path dir, String base) throws IOException {
        ReportWriter.JSON.writeValue(dir.resolve(base + ".json").toFile(), r);
        Files.writeString(dir.resolve(base + ".html"), PortfolioHtml.render(r), StandardCharsets.UTF_8);
    }

    /** The last portfolio command this process ran, as one line; for JMX. */
    public String last() {
        PortfolioResult r = last;
        return r == null ? "no portfolio command has run since Ferry started" : r.summaryLine();
    }
}
