package dev.ferry.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.ferry.settings.FerrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's report is written after its run committed. A reports folder that refuses it must cost only the
 * report: the reliability suite found that the inbox, failing there, left the loaded file in the inbox and
 * took it again as a duplicate, every scan, without end.
 */
class ReportWriterTest {

    @TempDir
    Path dir;

    private static ReportWriter writer(Path reports) {
        Map<String, String> s = Map.of("ferry.reports", reports.toString());
        return new ReportWriter(new FerrySettings(k -> Optional.ofNullable(s.get(k))));
    }

    private static RunResult run(long id) {
        RunResult r = new RunResult("trades_history", "trades_history.json", 1L, false);
        r.setRunId(id);
        r.finish(RunStatus.COMPLETED, null);
        return r;
    }

    @Test
    void aReportIsWrittenWholeUnderItsRunsName() throws Exception {
        Path reports = dir.resolve("reports");
        RunResult r = run(7);
        assertThat(writer(reports).write(r)).isSameAs(r);
        assertThat(ReportWriter.JSON.readTree(reports.resolve("run-7.json").toFile()).at("/runId").asLong()).isEqualTo(7);
        try (var files = Files.list(reports)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left").containsExactly("run-7.json");
        }
    }

    @Test
    void aFolderThatRefusesTheReportCostsTheReportNotTheRun() throws Exception {
        // a regular file where the folder should be: refuses every write, for root too
        Path reports = Files.writeString(dir.resolve("reports"), "not a folder");
        RunResult r = run(8);
        assertThat(writer(reports).write(r)).as("the result goes on to the next step").isSameAs(r);
        assertThat(Files.readString(reports)).as("nothing written over what is there").isEqualTo("not a folder");
        assertThat(ReportWriter.writeReport(reports, 8L, r)).as("writeReport says the report is missing").isFalse();
    }
}
