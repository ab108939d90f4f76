package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.runs.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists the most recent runs with their counts.")
public final class RunsCommand implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "20", description = "how many runs (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (FerryRuntime rt = FerryRuntime.command()) {
            RunStore runs = rt.context().getRegistry().lookupByNameAndType("runs", RunStore.class);
            System.out.print(ConsoleReport.render(runs.recent(limit)));
        }
        return ExitCodes.OK;
    }
}
