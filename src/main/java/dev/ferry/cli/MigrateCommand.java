package dev.ferry.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Migrates a bot's whole data folder for one user, in dependency order:",
                       "trades_history, pending_orders, paper_trading/orders, holdings, transactions",
                       "(paper files in paper_trading/ or paper_trading/user_<id>/). The files are only read.",
                       "With --dry-run each file is loaded and rolled back on its own, so later files do not",
                       "see the earlier ones' rows: their duplicate counts can differ from a real run's.",
                       "Exits 1 when anything was rejected, refused or failed."})
public final class MigrateCommand implements Callable<Integer> {

    @Mixin
    BotFolderOptions folder;

    @Option(names = "--dry-run", description = "load each file and roll it back, reporting the counts")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        String dataDir = folder.existingDir();
        if (dataDir == null) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                @SuppressWarnings("unchecked")
                List<RunResult> results = rt.template().requestBodyAndHeaders("direct:migrate-data-dir", null, Map.of(
                        "FerryDataDir", dataDir, "FerryUserId", folder.userId, "FerryDryRun", dryRun), List.class);
                if (results == null || results.isEmpty()) {
                    System.out.println("no bot files in " + folder.dataDir);
                    return ExitCodes.OK;
                }
                System.out.print(ConsoleReport.render(results));
                return ExitCodes.of(results);
            }
        });
    }
}
