package dev.ferry.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the service: watches the inbox and loads each file dropped there, until SIGTERM or Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        FerryRuntime.serve(Map.of());
        return ExitCodes.OK;
    }
}
