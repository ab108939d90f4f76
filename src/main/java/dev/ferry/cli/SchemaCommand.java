package dev.ferry.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.schema.report.SchemaConsole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Versioned schema changes of any PostgreSQL database, through the same route as JMX and inbox/schema/.",
                       "A project is a folder of versions <version>__<name>/ with up.sql, down.sql and verify.sql (and an",
                       "optional backfill.properties); 'ferry' is Ferry's own built-in project. The target is --target URL or",
                       "FERRY_DB_URL; user and password as for Ferry's database (FERRY_DB_USER, FERRY_DB_PASSWORD or its file).",
                       "Exits 1 when a version failed, a check found drift or a difference, or the command was refused."},
        subcommands = {SchemaCommand.Status.class, SchemaCommand.Migrate.class, SchemaCommand.Undo.class, SchemaCommand.Verify.class,
                       SchemaCommand.History.class, SchemaCommand.Diff.class, SchemaCommand.Test.class, SchemaCommand.New.class})
public final class SchemaCommand {

    /** What every schema command takes. */
    public static final class Target {
        @Option(names = "--project", required = true, paramLabel = "DIR", description = "the project folder, or ferry for Ferry's own schema")
        String project;

        @Option(names = "--target", paramLabel = "URL", description = "jdbc:postgresql://host:port/db (default: FERRY_DB_URL); no password in it")
        String target;
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        Target where;

        abstract String command();

        void headers(Map<String, Object> h) {
        }

        @Override
        public Integer call() throws Exception {
            return ExitCodes.reportingUnavailable(() -> {
                // the target's schema is the job; Ferry's own bookkeeping database is not touched for it
                try (FerryRuntime rt = FerryRuntime.command(Map.of("ferry.db.migrate-on-start", "false"))) {
                    Map<String, Object> h = new HashMap<>();
                    h.put("FerrySchemaCommand", command());
                    h.put("FerrySchemaProject", where.project);
                    if (where.target != null) {
                        h.put("FerrySchemaTarget", where.target);
                    }
                    h.put("FerryCallerPrints", true);
                    headers(h);
                    SchemaResult r = rt.template().requestBodyAndHeaders("direct:schema", null, h, SchemaResult.class);
                    System.out.print(SchemaConsole.render(r));
                    return r.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
                }
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Current version, pending versions and drift.")
    public static final class Status extends Base {
        @Override
        String command() {
            return "status";
        }
    }

    /** What migrate and undo share: where to stop, the dry run and the re-baseline. */
    abstract static class Change extends Base {
        @Option(names = "--to", paramLabel = "V", description = "migrate: stop after this version; undo: go back to it (it stays applied; 0 undoes all)")
        String to;

        @Option(names = "--dry-run", description = "print the SQL that would run, with the version boundaries; change nothing")
        boolean dryRun;

        @Option(names = "--rebaseline", description = "accept edited applied scripts: their current checksums replace the recorded ones")
        boolean rebaseline;

        @Override
        void headers(Map<String, Object> h) {
            if (to != null) {
                h.put("FerrySchemaTo", to);
            }
            h.put("FerryDryRun", dryRun);
            h.put("FerrySchemaRebaseline", rebaseline);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Applies the pending versions in semantic-version order, each in one transaction, then its backfill in batches.",
                           "Refuses while an applied script was edited (drift) unless --rebaseline."})
    public static final class Migrate extends Change {
        @Override
        String command() {
            return "migrate";
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = {"Runs down.sql of the applied versions above --to (which stays applied), newest first; default: the last one.",
                           "Drops what those versions made, data included: needs --confirm UNDO unless --dry-run."})
    public static final class Undo extends Change {
        @Option(names = "--confirm", description = "type UNDO to confirm")
        String confirm;

        @Override
        String command() {
            return "undo";
        }

        @Override
        void headers(Map<String, Object> h) {
            super.headers(h);
            if (confirm != null) {
                h.put("FerryConfirm", confirm);
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Runs each version's verify.sql in order; an applied version whose verify fails exits 1.")
    public static final class Verify extends Base {
        @Override
        String command() {
            return "verify";
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every attempt: version, operation, who, when, how long, checksum, outcome.")
    public static final class History extends Base {
        @Override
        String command() {
            return "history";
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compares the live schema with the one the applied versions produce on a scratch database: one line per object.")
    public static final class Diff extends Base {
        @Override
        String command() {
            return "diff";
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Round trip on a scratch database: up, verify, down, catalog equal to before, up again, for every version.")
    public static final class Test extends Base {
        @Override
        String command() {
            return "test";
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Scaffolds the next version's folder with up.sql, down.sql and verify.sql.")
    public static final class New extends Base {
        @Parameters(paramLabel = "NAME", description = "what the version does, e.g. add_volume_index")
        String name;

        @Option(names = "--at", paramLabel = "V", description = "the version number (default: the latest's next minor, or 1.0.0)")
        String at;

        @Override
        String command() {
            return "new";
        }

        @Override
        void headers(Map<String, Object> h) {
            h.put("FerrySchemaName", name);
            if (at != null) {
                h.put("FerrySchemaTo", at);
            }
        }
    }
}
