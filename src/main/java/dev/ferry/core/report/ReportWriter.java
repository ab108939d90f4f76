package dev.ferry.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    /**
     * Writes reports/run-&lt;id&gt;.json (dry runs too) and returns the result for the next step. The run
     * has committed and is in ferry.runs by now, so a reports folder that is full or read-only costs only
     * the report, with a warning: failing here would leave the loaded file in the inbox, to be taken again
     * as a duplicate, failing again, without end. The report is written under a temporary name and renamed,
     * so a full disk never leaves half a report behind.
     */
    public RunResult write(RunResult result) {
        writeReport(settings.reportsDir(), result.getRunId(), result);
        LOG.info("{}", result.summaryLine());
        return result;
    }

    /**
     * Writes {@code report} as {@code dir/run-<id>.json} under a temporary name, then renames it; on an
     * I/O error (full, read-only) it leaves nothing behind, warns and returns false. For every flow's run
     * report, since each is written after its run committed.
     */
    public static boolean writeReport(Path dir, Long runId, Object report) {
        String name = "run-" + (runId == null ? "none-" + System.currentTimeMillis() : runId) + ".json";
        try {
            Files.createDirectories(dir);
            writeWhole(dir.resolve(name), f -> JSON.writeValue(f.toFile(), report));
            return true;
        } catch (IOException e) {
            LOG.warn("Run {} is recorded in ferry.runs (ferry runs shows it), but its report {} could not be written: {}",
                    runId, dir.resolve(name), e.toString());
            return false;
        }
    }

    /** Writes one file of a report. */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Writes {@code target} under a temporary name beside it, then renames it: whoever watches the folder
     * (a user, a script, a test) sees the whole report or none, never a half-written one.
     */
    public static void writeWhole(Path target, FileContent content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the folder refuses even this (read-only); nothing of the report is there to mislead
            }
        }
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
