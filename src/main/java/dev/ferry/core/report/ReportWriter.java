package dev.ferry.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders a run's result as a JSON report in the reports folder, and beside a file that went to the error folder. */
public final class ReportWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final FerrySettings settings;

    public ReportWriter(FerrySettings settings) {
        this.settings = settings;
    }

    /** Writes reports/run-&lt;id&gt;.json (dry runs too) and returns the result for the next step. */
    public RunResult write(RunResult result) throws IOException {
        Path dir = settings.reportsDir();
        Files.createDirectories(dir);
        String name = "run-" + (result.getRunId() == null ? "none-" + System.currentTimeMillis() : result.getRunId()) + ".json";
        JSON.writeValue(dir.resolve(name).toFile(), result);
        LOG.info("{}", result.summaryLine());
        return result;
    }

    /** For a file moved to the error folder: its report sits beside it as &lt;file&gt;.error.json. */
    public void writeBeside(RunResult result, String movedTo) throws IOException {
        if (result.getStatus().accepted()) {
            return;
        }
        Path target = Path.of(movedTo + ".error.json");
        Files.createDirectories(target.getParent());
        JSON.writeValue(target.toFile(), result);
    }
}
