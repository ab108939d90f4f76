package dev.ferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imports one bot file through the same route as the inbox, then exits.",
        subcommands = {ImportCommand.TradesHistory.class, ImportCommand.PendingOrders.class, ImportCommand.PaperOrders.class, ImportCommand.Holdings.class, ImportCommand.Transactions.class})
public final class ImportCommand {

    /** What every import takes: the file, its user, and whether to roll back. */
    abstract static class FileImport implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "the bot file")
        Path file;

        @Option(names = "--user-id", required = true, description = "id of the user in trading.users the file belongs to")
        long userId;

        @Option(names = "--dry-run", description = "do the whole load, report the counts, roll everything back")
        boolean dryRun;

        abstract String flow();

        @Override
        public Integer call() throws Exception {
            return runImport(flow(), file, userId, dryRun);
        }
    }

    @Command(name = "trades-history", mixinStandardHelpOptions = true,
            description = {"Imports a trades_history.json into trading.orders and trading.fills.",
                           "Exits 1 when any record was rejected or the file was refused."})
    public static final class TradesHistory extends FileImport {
        @Override
        String flow() {
            return "trades_history";
        }
    }

    @Command(name = "pending-orders", mixinStandardHelpOptions = true,
            description = {"Imports a pending_orders.json into trading.orders.",
                           "An order whose broker id any earlier source brought is skipped as a duplicate.",
                           "Exits 1 when any record was rejected or the file was refused."})
    public static final class PendingOrders extends FileImport {
        @Override
        String flow() {
            return "pending_orders";
        }
    }

    @Command(name = "paper-orders", mixinStandardHelpOptions = true,
            description = {"Imports a paper_trading/orders.json into trading.orders (orig_source paper_trading).",
                           "Exits 1 when any record was rejected or the file was refused."})
    public static final class PaperOrders extends FileImport {
        @Override
        String flow() {
            return "paper_orders";
        }
    }

    @Command(name = "holdings", mixinStandardHelpOptions = true,
            description = {"Imports a paper_trading/holdings.json into trading.positions: each entry updates the",
                           "user's open position in its symbol, or opens one.",
                           "Exits 1 when any record was rejected or the file was refused."})
    public static final class Holdings extends FileImport {
        @Override
        String flow() {
            return "holdings";
        }
    }

    @Command(name = "transactions", mixinStandardHelpOptions = true,
            description = {"Imports a paper_trading/transactions.json into trading.fills of the paper orders.",
                           "A transaction names its order by order_id, or is matched by symbol, side and nearest time.",
                           "Exits 1 when any record was rejected (unmatched included) or the file was refused."})
    public static final class Transactions extends FileImport {
        @Override
        String flow() {
            return "transactions";
        }
    }

    static int runImport(String flow, Path file, long userId, boolean dryRun) throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("ferry: no such file: " + file);
            return ExitCodes.USAGE;
        }
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                RunResult r = rt.template().requestBodyAndHeaders("direct:import-bot-file", null, Map.of(
                        "FerryFlow", flow,
                        "FerryFile", file.toAbsolutePath().toString(),
                        "FerryUserId", userId,
                        "FerryDryRun", dryRun), RunResult.class);
                System.out.print(ConsoleReport.render(List.of(r)));
                return ExitCodes.of(List.of(r));
            }
        });
    }
}
