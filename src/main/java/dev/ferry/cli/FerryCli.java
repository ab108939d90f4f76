package dev.ferry.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import picocli.CommandLine.Command;

@Command(name = "ferry", mixinStandardHelpOptions = true, version = "Ferry 0.1.0",
        description = {
            "Moves a trading platform's data into PostgreSQL, safely and fast.",
            "Without a command it runs the service (same as 'serve').",
            "",
            "Settings: config/application.properties (or the file FERRY_CONFIG names).",
            "Each key can be overridden by an environment variable: ferry.db.url by",
            "FERRY_DB_URL, ferry.inbox by FERRY_INBOX, and so on. The password comes only",
            "from FERRY_DB_PASSWORD or the file FERRY_DB_PASSWORD_FILE names."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything loaded (or skipped as duplicate)",
            "1:a record was rejected, a file refused, invalid or failed, or validation found the data INVALID",
            "2:wrong usage",
            "3:PostgreSQL unavailable after the retries"},
        subcommands = {ServeCommand.class, ImportCommand.class, MigrateCommand.class, ValidateCommand.class, SqliteCommand.class, RollbackCommand.class, DemoCommand.class, RunsCommand.class, SchemaCommand.class, V2Command.class, PortfolioCommand.class,
                       BenchCommand.class, picocli.CommandLine.HelpCommand.class})
public final class FerryCli implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        FerryRuntime.serve(Map.of());
        return ExitCodes.OK;
    }
}
