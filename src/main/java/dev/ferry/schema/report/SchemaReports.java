package dev.ferry.schema.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.core.ops.FerryMetrics;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each schema command's result as JSON and HTML in the reports folder, logs its summary
 * (a warning when verify or diff finds drift), keeps the last verify and diff for JMX, and sets
 * the drift gauge Prometheus scrapes.
 */
public final class SchemaReports {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final FerrySettings settings;
    private final FerryMetrics metrics;
    private final Map<String, SchemaResult> last = new ConcurrentHashMap<>();

    public SchemaReports(FerrySettings settings, FerryMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** With {@code callerPrints}, the caller shows the result itself and the log keeps only the summary line. */
    public SchemaResult write(SchemaResult r, Boolean callerPrints) throws IOException {
        Path dir = settings.reportsDir();
        write(r, dir, "schema-" + r.getCommand() + "-" + safe(r.getProject()) + "-" + STAMP.format(r.getStartedAt()));
        boolean check = "verify".equals(r.getCommand()) || "diff".equals(r.getCommand());
        if (check) {
            last.put(r.getCommand(), r);
            metrics.gauge("ferry.schema.drift", "Differences and changed scripts the last verify or diff of a project found (0: in step)",
                    Map.of("project", r.getProject(), "check", r.getCommand()),
                    r.getDrift().size() + r.getDifferences().size() + (r.ok() ? 0 : Math.max(1, r.getErrors().size())));
        }
        if (check && !r.ok()) {
            LOG.warn("{}", r.summaryLine());
            r.getDifferences().forEach(d -> LOG.warn("  {}", d));
        } else {
            LOG.info("{}", r.summaryLine());
        }
        if (System.console() == null && !Boolean.TRUE.equals(callerPrints) && !r.getVersions().isEmpty()) {
            LOG.info("\n{}", SchemaConsole.render(r));
        }
        return r;
    }

    /** Writes {@code <base>.json} and {@code <base>.html} into the folder. */
    public void write(SchemaResult r, Path dir, String base) throws IOException {
        Files.createDirectories(dir);
        ReportWriter.writeWhole(dir.resolve(base + ".json"), f -> ReportWriter.JSON.writeValue(f.toFile(), r));
        ReportWriter.writeWhole(dir.resolve(base + ".html"), f -> Files.writeString(f, SchemaHtml.render(r), StandardCharsets.UTF_8));
    }

    /** The last verify or diff in this process, as one line; for JMX. */
    public String last(String command) {
        SchemaResult r = last.get(command);
        return r == null ? "no schema " + command + " has run since Ferry started" : r.summaryLine();
    }

    private static String safe(String name) {
        String n = name == null ? "project" : Path.of(name).getFileName() == null ? name : Path.of(name).getFileName().toString();
        return n.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
