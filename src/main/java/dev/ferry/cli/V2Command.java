package dev.ferry.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.FerryRuntime;
import dev.ferry.v2.report.V2Console;
import dev.ferry.v2.report.V2Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "v2", mixinStandardHelpOptions = true,
        description = {"The bot's v2 PostgreSQL database -> the v3 platform schema, kept in step while the bot trades, then cut over.",
                       "Through the same route as JMX (V2Control) and the Quartz sync (ferry.v2.sync.cron). The source is --source URL or",
                       "FERRY_V2_URL, its user FERRY_V2_USER and its password FERRY_V2_PASSWORD or the file ferry.v2.password-file (never",
                       "in the URL); the target is Ferry's database (FERRY_DB_URL) unless --target says. v2 is only ever read.",
                       "Exits 1 when a row was rejected, v3 differs from v2, or the command was refused or failed."},
        subcommands = {V2Command.Migrate.class, V2Command.Sync.class, V2Command.Validate.class, V2Command.Cutover.class,
                       V2Command.Rollback.class, V2Command.Status.class})
public final class V2Command {

    /** Where v2 and v3 are. */
    public static final class Databases {
        @Option(names = "--source", paramLabel = "URL", description = "v2: jdbc:postgresql://host:port/db (default: FERRY_V2_URL); no password in it")
        String source;

        @Option(names = "--target", paramLabel = "URL", description = "v3: jdbc:postgresql://host:port/db (default: Ferry's database, FERRY_DB_URL)")
        String target;
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        Databases where;

        abstract String command();

        void headers(Map<String, Object> h) {
        }

        @Override
        public Integer call() throws Exception {
            return ExitCodes.reportingUnavailable(() -> {
                try (FerryRuntime rt = FerryRuntime.command()) {
                    Map<String, Object> h = new HashMap<>();
                    h.put("FerryV2Command", command());
                    if (where.source != null) {
                        h.put("FerryV2Source", where.source);
                    }
                    if (where.target != null) {
                        h.put("FerryV2Target", where.target);
                    }
                    h.put("FerryCallerPrints", true);
                    headers(h);
                    V2Result r = rt.template().requestBodyAndHeaders(command().equals("migrate") ? "direct:v2-migrate" : "direct:v2", null, h, V2Result.class);
                    System.out.print(V2Console.render(r));
                    return r.getStatus() == V2Result.Status.OK ? ExitCodes.OK : ExitCodes.PROBLEMS;
                }
            });
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"The full first pass: applies the compatibility change (config/schema/v3-compat) and Ferry's lineage schema",
                           "(ferry_v2) to v3 if needed, loads every v2 table page by page, then validates v3 against v2.",
                           "Run again after a crash: committed pages are skipped, the rest load."})
    public static final class Migrate extends Base {
        @Option(names = "--dry-run", description = "map and load everything in one transaction and roll it back: the counts and rejects, no change")
        boolean dryRun;

        @Option(names = "--create-v3", description = "create the v3 base schema first when it is missing (a fresh platform, the demo)")
        boolean createV3;

        @Override
        String command() {
            return "migrate";
        }

        @Override
        void headers(Map<String, Object> h) {
            h.put("FerryDryRun", dryRun);
            h.put("FerryV2CreateV3", createV3);
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Loads the v2 rows new or changed since the last pass (a stored hash per row; pages whose digest is unchanged",
                           "are skipped) and updates the v3 rows made from them; v2 rows deleted since are reported, or removed from v3",
                           "with ferry.v2.sync.deletes=apply."})
    public static final class Sync extends Base {
        @Override
        String command() {
            return "sync";
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "v3 against v2 now: the guide's counts, orphans, empty symbols and prices, then record by record, both ways.")
    public static final class Validate extends Base {
        @Override
        String command() {
            return "validate";
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true,
            description = {"A last sync and the full validation: prints \"v3 matches v2: safe to switch\" with the figures, or what still",
                           "differs. Once cut over, the Quartz sync stops by itself."})
    public static final class Cutover extends Base {
        @Override
        String command() {
            return "cutover";
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Removes exactly the v3 rows Ferry wrote (its lineage) and restores the rows a sync overwrote; rows the platform",
                           "wrote itself stay. Refuses, listing them, when rows it would undo changed since Ferry wrote them, unless --force."})
    public static final class Rollback extends Base {
        @Option(names = "--run", paramLabel = "ID", description = "undo this v2 run")
        Long run;

        @Option(names = "--all", description = "undo every v2 run, newest first")
        boolean all;

        @Option(names = "--with-schema", description = "with --all: undo the compatibility change and drop Ferry's lineage schema too")
        boolean withSchema;

        @Option(names = "--dry-run", description = "show what would be undone; change nothing")
        boolean dryRun;

        @Option(names = "--confirm", paramLabel = "DELETE", description = "type DELETE to confirm")
        String confirm;

        @Option(names = "--force", description = "undo rows changed since Ferry wrote them too")
        boolean force;

        @Override
        String command() {
            return "rollback";
        }

        @Override
        void headers(Map<String, Object> h) {
            if (run != null) {
                h.put("FerryRunId", run);
            }
            h.put("FerryV2All", all);
            h.put("FerryV2WithSchema", withSchema);
            h.put("FerryDryRun", dryRun);
            h.put("FerryForce", force);
            if (confirm != null) {
                h.put("FerryConfirm", confirm);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "What the lineage knows: rows loaded, rejected and deleted per v2 table; the cutover.")
    public static final class Status extends Base {
        @Override
        String command() {
            return "status";
        }
    }
}
