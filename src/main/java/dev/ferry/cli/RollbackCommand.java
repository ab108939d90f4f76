package dev.ferry.cli;

import java.io.Console;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.runs.RunRollback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Removes exactly the rows one run (--run) or all of a user's runs (--user-id, newest first,",
                       "all or nothing) wrote: fills, orders, the positions they opened;",
                       "positions it updated get their earlier values back. Rows changed or referenced since",
                       "the run are listed and kept, and the rollback refuses unless --force.",
                       "Asks you to type DELETE, or takes --confirm DELETE when not interactive."})
public final class RollbackCommand implements Callable<Integer> {

    @Option(names = "--run", description = "id of the run to roll back (see ferry runs)")
    Long runId;

    @Option(names = "--user-id", description = "roll back every run that loaded this user's bot files")
    Long userId;

    @Option(names = "--no-trades", description = "with --user-id: keep what trades_history files loaded")
    boolean noTrades;

    @Option(names = "--no-pending", description = "with --user-id: keep what pending_orders files loaded")
    boolean noPending;

    @Option(names = "--no-paper", description = "with --user-id: keep what paper_trading files loaded")
    boolean noPaper;

    @Option(names = "--dry-run", description = "list what would be removed, with counts, and remove nothing")
    boolean dryRun;

    @Option(names = "--force", description = "also remove rows changed or referenced since the run")
    boolean force;

    @Option(names = "--confirm", description = "DELETE, to confirm without a prompt")
    String confirm;

    @Override
    public Integer call() throws Exception {
        if ((runId == null) == (userId == null)) {
            System.err.println("ferry: give either --run ID or --user-id N");
            return ExitCodes.USAGE;
        }
        String what = runId != null ? "run " + runId : "every run of user " + userId;
        String confirmation = confirm;
        Console console = System.console();
        if (!dryRun && confirmation == null && console != null) {
            confirmation = console.readLine("Roll back %s and delete its rows? Type %s to go ahead: ", what, RunRollback.CONFIRMATION);
        }
        String typed = confirmation == null ? "" : confirmation.strip();
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                Map<String, Object> headers = new HashMap<>(Map.of("FerryDryRun", dryRun, "FerryForce", force, "FerryConfirm", typed));
                String route = "direct:rollback-run";
                if (runId != null) {
                    headers.put("FerryRunId", runId);
                } else {
                    route = "direct:rollback-user";
                    headers.putAll(Map.of("FerryUserId", userId, "FerryTrades", !noTrades, "FerryPending", !noPending, "FerryPaper", !noPaper));
                }
                RunResult r = rt.template().requestBodyAndHeaders(route, null, headers, RunResult.class);
                System.out.print(ConsoleReport.render(List.of(r)));
                r.getKept().forEach(k -> System.out.println("  kept " + k));
                return ExitCodes.of(List.of(r));
            }
        });
    }
}
