package dev.ferry.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a validation result into the reports folder as validation-&lt;time&gt;-&lt;subject&gt;.json
 * and .html, and keeps the latest result for JMX.
 */
public final class ValidationReports {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final FerrySettings settings;
    private volatile ValidationResult last;
    private volatile Path lastHtml;

    public ValidationReports(FerrySettings settings) {
        this.settings = settings;
    }

    public ValidationResult write(ValidationResult result) throws IOException {
        Path dir = settings.reportsDir();
        Files.createDirectories(dir);
        String base = "validation-" + STAMP.format(result.getCheckedAt()) + "-" + slug(result.getSubject());
        ReportWriter.JSON.writeValue(dir.resolve(base + ".json").toFile(), result);
        Path html = dir.resolve(base + ".html");
        Files.writeString(html, ValidationHtml.render(result), StandardCharsets.UTF_8);
        last = result;
        lastHtml = html;
        (result.isValid() ? LOG.atInfo() : LOG.atWarn()).log("{} (report {})", result, html);
        return result;
    }

    /** The latest validation this process ran, or null. */
    public ValidationResult last() {
        return last;
    }

    public Path lastHtml() {
        return lastHtml;
    }

    private static String slug(String subject) {
        String s = subject.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
        return s.length() > 60 ? s.substring(0, 60) : s;
    }
}
