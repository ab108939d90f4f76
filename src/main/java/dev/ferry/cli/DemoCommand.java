package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.ferry.FerryRuntime;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.schema.report.SchemaConsole;
import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.v2.report.V2Console;
import dev.ferry.v2.report.V2Result;
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;
import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.ValidationConsole;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.core.runs.RunStore;
import dev.ferry.demo.BundledFiles;
import dev.ferry.demo.DashboardDatabaseGenerator;
import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.portfolio.PortfolioMigration;
import dev.ferry.portfolio.report.PortfolioConsole;
import dev.ferry.portfolio.report.PortfolioResult;
import dev.ferry.settings.FerrySettings;
import dev.ferry.sqlite.report.MigrationConsole;
import dev.ferry.sqlite.report.MigrationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs Ferry's main job on bundled demo data.",
                       "Makes bot files of all five kinds for two users, starts the service on a fresh",
                       "database, drops the files into its inbox, waits until they are loaded, prints",
                       "the run summary next to SELECT count(*) of the tables, and ends with a",
                       "validation of each user's loaded files against the database (HTML and JSON",
                       "reports in the reports folder). Then migrates a small generated SQLite market",
                       "store into the schema 'market' and validates it, and migrates, verifies and diffs the",
                       "trading system's schema project (config/schema/trading-system), migrates a small generated v2",
                       "database of the Bybit bot into a fresh v3 one, syncs it after a few changes, validates and cuts over,",
                       "and last takes a generated dashboard database from one portfolio to many (phase 1) and rolls it back.",
                       "Exits 1 if anything does not match."})
public final class DemoCommand implements Callable<Integer> {

    static final String SCHEMA_PROJECT = "config/schema/trading-system";

    @Option(names = "--database", defaultValue = "ferry_demo",
            description = "database the demo recreates and loads (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--dir", defaultValue = "data/demo", description = "folder for the demo's inbox, done, error and reports (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--timeout", defaultValue = "180", description = "seconds to wait for the files to be loaded")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path root = dir.toAbsolutePath().normalize();
        deleteTree(root);
        Path inbox = root.resolve("inbox");
        String url;
        try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
            FerrySettings s = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
            AdminDatabase.recreate(s, database);
            url = AdminDatabase.withName(s.dbUrl(), database);
        }
        Map<String, String> overrides = Map.of(
                "ferry.db.url", url,
                "ferry.inbox", inbox.toString(),
                "ferry.done", root.resolve("done").toString(),
                "ferry.error", root.resolve("error").toString(),
                "ferry.reports", root.resolve("reports").toString(),
                "ferry.inbox.write-complete-ms", "500",
                "ferry.inbox.poll-ms", "250");
        System.out.println("Ferry demo: database " + database + ", folders under " + root);
        try (FerryRuntime rt = FerryRuntime.start(true, overrides)) {
            Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
            seedUsers(db);
            // trades first, then the files whose duplicates they reveal (pending orders repeat a trade's broker id),
            // then what needs the paper orders in place (transactions fill them)
            List<Path> dropped = new ArrayList<>();
            Path staging = inbox.resolveSibling("staging");
            for (List<Path> wave : List.of(tradesFiles(staging), orderFiles(staging), paperFiles(staging))) {
                for (Path p : wave) {
                    Path target = move(p, inbox.resolve(staging.relativize(p)));
                    dropped.add(target);
                    System.out.println("  dropped " + root.relativize(target));
                }
                waitUntilInboxEmpty(inbox);
            }
            RunStore runs = rt.context().getRegistry().lookupByNameAndType("runs", RunStore.class);
            List<RunResult> results = new ArrayList<>(runs.recent(dropped.size()));
            Collections.reverse(results);
            System.out.println();
            for (RunResult r : results) {
                r.getRejects().addAll(runs.rejectsOf(r.getRunId(), 5));
            }
            System.out.print(ConsoleReport.render(results));
            long orders = results.stream().mapToLong(RunResult::getOrders).sum();
            long fills = results.stream().mapToLong(RunResult::getFills).sum();
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                long dbOrders = count(st, "SELECT count(*) FROM trading.orders");
                long dbFills = count(st, "SELECT count(*) FROM trading.fills");
                System.out.printf("%nRuns wrote %d orders and %d fills; SELECT count(*) in %s: trading.orders = %d, trading.fills = %d (%s)%n",
                        orders, fills, database, dbOrders, dbFills, orders == dbOrders && fills == dbFills ? "they match" : "MISMATCH");
                boolean valid = validate(rt, root.resolve("done"));
                System.out.println("Reports: " + root.resolve("reports") + "; loaded files: " + root.resolve("done"));
                boolean market = migrateMarketStore(rt, root);
                boolean schema = schemaRun(rt, BundledFiles.copy(SCHEMA_PROJECT, root.resolve("schema/trading-system")));
                boolean v2 = v2Migration(rt, database);
                boolean portfolio = portfolioMigration(rt, database);
                return orders == dbOrders && fills == dbFills && valid && market && schema && v2 && portfolio ? ExitCodes.OK : ExitCodes.PROBLEMS;
            }
        }
    }

    /**
     * The SQLite migration: a small market store (12 tables, 5,000 OHLCV bars) generated and migrated
     * through the same route as ferry sqlite, into the schema "market", then validated.
     */
    private static boolean migrateMarketStore(FerryRuntime rt, Path root) throws Exception {
        Path store = new MarketStoreGenerator().ohlcvRows(5_000).write(root.resolve("market.db"));
        System.out.println();
        System.out.println("SQLite migration of a generated market store: " + store);
        MigrationResult r = rt.template().requestBodyAndHeaders("direct:sqlite-migrate", null, Map.of(
                "FerrySqliteFile", store.toString(), "FerryTargetSchema", "market", "FerryCallerPrints", true), MigrationResult.class);
        System.out.print(MigrationConsole.render(r));
        return SqliteCommand.exitCode(r) == ExitCodes.OK;
    }

    /**
     * Versioned schema changes: the trading system's bundled project migrated into the demo database
     * (its seven tables and 1.1.0's backfilled adjusted_close), verified, and diffed against what its
     * versions produce on a scratch database.
     */
    private static boolean schemaRun(FerryRuntime rt, Path project) {
        System.out.println();
        System.out.println("Versioned schema changes: the trading system's project (" + SCHEMA_PROJECT + ", copied to " + project
                + ") on the demo database");
        boolean ok = true;
        for (String command : List.of("migrate", "verify", "diff")) {
            SchemaResult r = rt.template().requestBodyAndHeaders("direct:schema", null, Map.of("FerrySchemaCommand", command,
                    "FerrySchemaProject", project.toString(), "FerryCallerPrints", true), SchemaResult.class);
            System.out.print(SchemaConsole.render(r));
            ok &= r.ok();
        }
        return ok;
    }

    /**
     * The v2 -> v3 migration: a small generated v2 database of the Bybit bot (with its quirks) into a
     * fresh v3 platform database, migrated, synced once after a few trades in v2, validated and cut over.
     * v3 is a database of its own: the demo database's public schema holds the trading system's tables.
     */
    private static boolean v2Migration(FerryRuntime rt, String database) throws Exception {
        FerrySettings s = rt.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
        String v2 = database + "_v2";
        String v3 = database + "_v3";
        String v2Url = freshDatabase(s, v2);
        String v3Url = freshDatabase(s, v3);
        try (Connection c = connect(s, v2Url)) {
            V2DatabaseGenerator.small().create(c);
        }
        System.out.println();
        System.out.println("v2 -> v3 migration: a generated v2 database of the Bybit bot (" + v2 + ", with its quirks) into a fresh v3 (" + v3 + ")");
        boolean ok = true;
        for (String command : List.of("migrate", "changes", "sync", "validate", "cutover")) {
            if (command.equals("changes")) {
                try (Connection c = connect(s, v2Url)) {
                    System.out.println("The bot trades on: " + V2DatabaseGenerator.mutate(c, 10, 1) + " in v2");
                }
                continue;
            }
            V2Result r = rt.template().requestBodyAndHeaders("direct:v2", null, Map.of("FerryV2Command", command, "FerryV2Source", v2Url,
                    "FerryV2Target", v3Url, "FerryV2CreateV3", true, "FerryCallerPrints", true), V2Result.class);
            System.out.print(V2Console.render(r));
            ok &= r.ok() && (r.getValidation() == null || r.getValidation().isValid());
        }
        return ok;
    }

    /**
     * The dashboard's single -> multi-portfolio migration on a generated dashboard database of its own
     * (the dashboard's 1.0 as its init.sql leaves it, never seen by Ferry): checked, taken to 2.0 by
     * phase 1, checked, rolled back to 1.0 and checked again, through the route the CLI uses.
     */
    private static boolean portfolioMigration(FerryRuntime rt, String database) throws Exception {
        FerrySettings s = rt.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
        String name = database + "_dash";
        String url = freshDatabase(s, name);
        try (Connection c = connect(s, url)) {
            new DashboardDatabaseGenerator().signals(2_000).prices(10_000).create(c);
        }
        System.out.println();
        System.out.println("Portfolio migration: a generated dashboard database (" + name + ", single portfolio) to multi-portfolio and back");
        // each step with the version it must leave the dashboard at; only the checks before and after print whole
        String[][] steps = {{"check", "1.0.0"}, {"phase1", "2.0.0"}, {"check", "2.0.0"}, {"rollback", "1.0.0"}, {"check", "1.0.0"}};
        boolean ok = true;
        for (int i = 0; i < steps.length; i++) {
            Map<String, Object> h = PortfolioMigration.headers(steps[i][0], url, false, steps[i][0].equals("rollback"));
            h.put("FerryCallerPrints", true);
            PortfolioResult r = rt.template().requestBodyAndHeaders("direct:portfolio", null, h, PortfolioResult.class);
            System.out.print(i == 0 || i == steps.length - 1 ? PortfolioConsole.render(r) : r.summaryLine() + "\n");
            ok &= r.ok() && steps[i][1].equals(r.getVersion());
        }
        return ok;
    }

    /** A database of the demo's own beside the demo database, on the same server: its URL. */
    private static String freshDatabase(FerrySettings s, String name) {
        AdminDatabase.recreate(s, name);
        return AdminDatabase.withName(s.dbUrl(), name);
    }

    private static Connection connect(FerrySettings s, String url) throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", s.dbUser());
        s.dbPassword().ifPresent(p -> props.setProperty("password", p));
        return java.sql.DriverManager.getConnection(url, props);
    }

    private static void seedUsers(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trading.users (id, email, name) VALUES (1, 'asha@example.com', 'Asha'), "
                    + "(2, 'ravi@example.com', 'Ravi') ON CONFLICT (id) DO NOTHING");
        }
    }

    /** Files are written beside the inbox and moved in whole, as a careful bot would; the read lock covers the rest. */
    private static List<Path> tradesFiles(Path staging) throws IOException {
        Path u1 = bundled("demo/user_1/trades_history.json", staging.resolve("user_1/trades_history.json"));
        Path u2 = new TradesHistoryGenerator().trades(500).seed(7).withFlaws(true)
                .start(LocalDateTime.of(2025, 10, 28, 9, 15)).write(staging.resolve("user_2/trades_history-2025-10-28.json"));
        return List.of(u1, u2);
    }

    private static List<Path> orderFiles(Path staging) throws IOException {
        return List.of(bundled("demo/user_1/pending_orders.json", staging.resolve("user_1/pending_orders.json")),
                bundled("demo/user_2/paper_trading/orders.json", staging.resolve("user_2/paper_trading/orders.json")));
    }

    private static List<Path> paperFiles(Path staging) throws IOException {
        return List.of(bundled("demo/user_2/paper_trading/holdings.json", staging.resolve("user_2/paper_trading/holdings.json")),
                bundled("demo/user_2/paper_trading/transactions.json", staging.resolve("user_2/paper_trading/transactions.json")));
    }

    /** Each user's loaded files (now in done/user_<id>) against the database, through the validation route. */
    private static boolean validate(FerryRuntime rt, Path done) {
        boolean valid = true;
        for (long user : new long[] {1, 2}) {
            ValidationResult v = rt.template().requestBodyAndHeaders("direct:validate", null, Map.of(
                    "FerryUserId", user, "FerryDataDir", done.resolve("user_" + user).toString()), ValidationResult.class);
            System.out.println();
            System.out.print(ValidationConsole.render(v));
            System.out.println("Report: " + rt.context().getRegistry().lookupByNameAndType("validationReports", ValidationReports.class).lastHtml());
            valid &= v.isValid();
        }
        return valid;
    }

    private static Path bundled(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    private static Path move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private void waitUntilInboxEmpty(Path inbox) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            try (Stream<Path> files = Files.walk(inbox)) {
                if (files.noneMatch(p -> p.toString().endsWith(".json"))) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the demo files were not loaded within " + timeoutSeconds + " s; see the log above");
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
