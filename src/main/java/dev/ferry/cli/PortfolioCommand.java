package dev.ferry.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.portfolio.PortfolioMigration;
import dev.ferry.portfolio.report.PortfolioConsole;
import dev.ferry.portfolio.report.PortfolioResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "portfolio", mixinStandardHelpOptions = true,
        description = {"The dashboard's database, single -> multi-portfolio while the application keeps running, on the schema project",
                       "config/schema/portfolio (2.0 = phase 1, 3.0 = phase 2). COMMAND is check, phase1, phase2 or rollback. Through the same",
                       "route as JMX (PortfolioControl) and inbox/portfolio/. The database is --target URL or ferry.portfolio.url",
                       "(FERRY_PORTFOLIO_URL); user and password as for Ferry's database (FERRY_DB_USER, FERRY_DB_PASSWORD or its file).",
                       "Exits 1 when the command was refused or failed, or the check or validation found a problem."})
public final class PortfolioCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COMMAND", description = "check | phase1 | phase2 | rollback")
    String command;

    @Option(names = "--target", paramLabel = "URL", description = "jdbc:postgresql://host:port/db of the dashboard (no password in it)")
    String target;

    @Option(names = "--dry-run", description = "phase1, phase2: the SQL that would run; rollback: the merge and the SQL; nothing changes")
    boolean dryRun;

    @Option(names = "--confirm", description = "phase2 and rollback change what the application can do: confirm them")
    boolean confirm;

    @Option(names = "--to", paramLabel = "V", description = "rollback only: 1.0.0 (the default) or 2.0.0, where both the old and the portfolio-aware writes work")
    String to;

    @Option(names = "--yes", description = "the same as --confirm, for scripts")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        return ExitCodes.reportingUnavailable(() -> {
            try (FerryRuntime rt = FerryRuntime.command()) {
                Map<String, Object> h = PortfolioMigration.headers(command, target, dryRun, confirm || yes, to);
                h.put("FerryCallerPrints", true);
                PortfolioResult r = rt.template().requestBodyAndHeaders("direct:portfolio", null, h, PortfolioResult.class);
                System.out.print(PortfolioConsole.render(r));
                return r.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
            }
        });
    }
}
