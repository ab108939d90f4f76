package dev.ferry.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.ValidationConsole;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.core.report.ValidationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Compares a bot's data folder with the database, record by record: every source record",
                       "must match the rows it became (symbol, side, quantity, prices, times, status, ids) or be a",
                       "rejection or duplicate its run listed; every row those runs wrote must come from a record.",
                       "Also: each trade has an order, every pending broker order id exists, paper counts match.",
                       "Prints VALID or INVALID and writes validation-*.json and .html to the reports folder.",
                       "Exits 1 when INVALID. The files are only read."})
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    BotFolderOptions folder;

    @Override
    public Integer call() throws Exception {
        String dataDir = folder.existingDir();
        if (dataDir == null) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                ValidationResult result = rt.template().requestBodyAndHeaders("direct:validate", null, Map.of(
                        "FerryDataDir", dataDir, "FerryUserId", folder.userId), ValidationResult.class);
                System.out.print(ValidationConsole.render(result));
                var html = rt.context().getRegistry().lookupByNameAndType("validationReports", ValidationReports.class).lastHtml();
                System.out.println("Report: " + html.toAbsolutePath());
                return result.isValid() ? ExitCodes.OK : ExitCodes.PROBLEMS;
            }
        });
    }
}
