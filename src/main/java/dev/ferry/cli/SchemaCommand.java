package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.db.Database;
import dev.ferry.core.db.SchemaMigrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Ferry's versioned schema (Flyway): info, and undo with the paired undo scripts.",
        subcommands = {SchemaCommand.Info.class, SchemaCommand.Undo.class})
public final class SchemaCommand {

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Lists schema versions and their state.")
    public static final class Info implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (FerryRuntime rt = FerryRuntime.command()) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                System.out.printf("%-8s %-24s %-10s %-28s %s%n", "version", "description", "state", "installed on", "undo");
                for (var v : new SchemaMigrator(db.dataSource()).info()) {
                    System.out.printf("%-8s %-24s %-10s %-28s %s%n", v.version(), v.description(), v.state(),
                            v.installedOn() == null ? "-" : v.installedOn(), v.undoable() ? "yes" : "no");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = "Undoes every applied version above --to, newest first. Destroys the data those versions hold.")
    public static final class Undo implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "the version to go back to (0 removes everything)")
        int target;

        @Option(names = "--confirm", description = "type UNDO to confirm")
        String confirm;

        @Override
        public Integer call() throws Exception {
            if (!"UNDO".equals(confirm)) {
                System.err.println("ferry: schema undo drops tables and their data; add --confirm UNDO to go ahead");
                return ExitCodes.USAGE;
            }
            // no migration on start here: only the one-shot undo runs
            try (FerryRuntime rt = FerryRuntime.command()) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                var undone = new SchemaMigrator(db.dataSource()).undoTo(target);
                System.out.println(undone.isEmpty() ? "nothing to undo" : "undid version(s) " + String.join(", ", undone));
            }
            return ExitCodes.OK;
        }
    }
}
