package dev.ferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.sqlite.report.MigrationConsole;
import dev.ferry.sqlite.report.MigrationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sqlite", mixinStandardHelpOptions = true,
        description = {"Migrates a SQLite file into PostgreSQL through the same route as inbox/sqlite/:",
                       "tables created from the source's schema and the cast rules (config/mappings), loaded with COPY",
                       "in foreign-key order, indexed, then validated (counts and checksums on both sides).",
                       "Exits 1 when a row was rejected, a table failed, or the validation found a difference."})
public final class SqliteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE.db", description = "the SQLite file (only read)")
    Path file;

    @Option(names = "--tables", split = ",", description = "only these tables (or views), comma-separated")
    java.util.List<String> tables;

    @Option(names = "--target-schema", description = "PostgreSQL schema of the tables (default: ferry.sqlite.target-schema)")
    String schema;

    @Option(names = "--conflict", description = "a row whose key is already in an existing table: skip, update or fail (default: ferry.sqlite.conflict)")
    String conflict;

    @Option(names = "--resume", description = "continue the interrupted run of this file after its last committed batch")
    boolean resume;

    @Option(names = "--dry-run", description = "read and convert every row, report what would be created, loaded and rejected; write nothing")
    boolean dryRun;

    @Option(names = "--validate-only", description = "only compare source and target (counts, checksums, foreign keys)")
    boolean validateOnly;

    @Option(names = "--incremental", description = "load only rows added (or changed, by watermark) since the last run of this file")
    boolean incremental;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("ferry: no such file: " + file);
            return ExitCodes.USAGE;
        }
        if (dryRun && (validateOnly || resume)) {
            System.err.println("ferry: --dry-run goes with neither --validate-only nor --resume");
            return ExitCodes.USAGE;
        }
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                Map<String, Object> headers = new HashMap<>();
                headers.put("FerrySqliteFile", file.toAbsolutePath().toString());
                if (tables != null) {
                    headers.put("FerryTables", String.join(",", tables));
                }
                if (schema != null) {
                    headers.put("FerryTargetSchema", schema);
                }
                if (conflict != null) {
                    headers.put("FerryConflict", conflict);
                }
                headers.put("FerryResume", resume);
                headers.put("FerryDryRun", dryRun);
                headers.put("FerryValidateOnly", validateOnly);
                headers.put("FerryIncremental", incremental);
                headers.put("FerryCallerPrints", true);
                MigrationResult r = rt.template().requestBodyAndHeaders("direct:sqlite-migrate", null, headers, MigrationResult.class);
                System.out.print(MigrationConsole.render(r));
                return exitCode(r);
            }
        });
    }

    static int exitCode(MigrationResult r) {
        boolean validated = r.getValidation() == null || r.getValidation().isOk();
        return r.getRun().getStatus().clean() && validated ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }
}
