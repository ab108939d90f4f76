package dev.ferry.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.FerryRuntime;
import dev.ferry.bot.BotFileImport;
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.settings.FerrySettings;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Import speed of trades_history files against what PostgreSQL itself allows on the
 * platform's schema. Each run imports the file into a fresh database (a), validates it,
 * and then loads exactly the order and fill rows Ferry wrote with a plain COPY into empty
 * copies of the tables, once with their foreign keys (b: the ceiling for any loader that
 * keeps the schema) and once without (c: for reference). The old scripts' row-by-row way
 * is measured once on a smaller file and scaled, since at full size it would take hours.
 */
public final class TradesHistoryBenchmark {

    private static final int SCRIPTS_TRADES = 50_000;
    private static final String[] COLUMNS = {"import (a), s", "COPY+FK (b), s", "COPY no FK (c), s", "scripts*, s", "(a)/(b)",
        "scripts/(a)", "validate, s", "validate/(a)", "peak MB"};

    private final int trades;
    private final int repeat;
    private final String database;
    private final Path dir;
    private final List<String> table = new ArrayList<>();

    public TradesHistoryBenchmark(int trades, int repeat, String database, Path dir) {
        this.trades = trades;
        this.repeat = repeat;
        this.database = database;
        this.dir = dir.toAbsolutePath().normalize();
    }

    public boolean run() throws Exception {
        Path folder = generated(trades);
        Path file = folder.resolve(fileName(trades));
        System.out.printf("File: %s, %,d MB; JVM max heap %,d MB; %d CPU(s)%n", file, Files.size(file) >> 20,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<double[]> rows = new ArrayList<>();
        boolean ok = true;
        StringBuilder head = new StringBuilder(String.format("%-4s %10s %10s", "run", "trades", "rows"));
        for (String col : COLUMNS) {
            head.append(String.format(" %" + Math.max(9, col.length()) + "s", col));
        }
        System.out.println(head);
        table.add(head.toString());
        for (int i = 1; i <= repeat; i++) {
            // measured in every round, beside the import it is compared with: the machine's speed drifts between rounds
            double scriptsSecs = scriptsReference() * trades / SCRIPTS_TRADES;
            try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", freshDatabase()))) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                addUser(db);
                checkpoint(db);
                long t0 = System.nanoTime();
                RunResult r = rt.template().requestBodyAndHeaders("direct:import-bot-file", null, Map.of(
                        "FerryFlow", "trades_history", "FerryFile", file.toString(), "FerryUserId", 1L, "FerryDryRun", false), RunResult.class);
                double secs = (System.nanoTime() - t0) / 1e9;
                long written = r.getOrders() + r.getFills();
                if (r.getStatus() != RunStatus.COMPLETED || r.getDuplicates() != 0 || !r.reconciles()) {
                    System.out.println("unexpected import result: " + r.summaryLine());
                    ok = false;
                }
                long v0 = System.nanoTime();
                ValidationResult v = rt.template().requestBodyAndHeaders("direct:validate", null, Map.of(
                        "FerryDataDir", folder.toString(), "FerryUserId", 1L), ValidationResult.class);
                double validateSecs = (System.nanoTime() - v0) / 1e9;
                if (!v.isValid()) {
                    System.out.println("the validation found the import INVALID: " + v.getMismatchCount() + " mismatch(es), errors " + v.getErrors());
                    ok = false;
                }
                double[] copy = copyCeilings(db);
                double[] row = {written, secs, copy[0], copy[1], scriptsSecs, secs / copy[0], scriptsSecs / secs, validateSecs,
                    validateSecs / secs, PeakRss.megabytes()};
                rows.add(row);
                print(Integer.toString(i), row);
            }
        }
        double[] med = new double[rows.get(0).length];
        for (int k = 0; k < med.length; k++) {
            final int col = k;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            med[k] = v[v.length / 2];
        }
        print("med", med);
        // the table once more in one piece: Camel's start and stop lines run between the rows above
        System.out.println();
        table.forEach(System.out::println);
        System.out.printf("* scripts: the old scripts' row-by-row inserts in one transaction, measured in each round on %,d trades and "
                + "scaled to %,d.%n", SCRIPTS_TRADES, trades);
        System.out.printf("Targets: (a)/(b) <= 1.25: %s; scripts/(a) >= 10: %s; validate/(a) <= 1: %s%n", med[5] <= 1.25 ? "met" : "NOT met",
                med[6] >= 10 ? "met" : "NOT met", med[8] <= 1 ? "met" : "NOT met");
        return ok;
    }

    private void print(String run, double[] row) {
        StringBuilder line = new StringBuilder(String.format("%-4s %,10d %,10.0f", run, trades, row[0]));
        for (int k = 0; k < COLUMNS.length; k++) {
            String fmt = k == COLUMNS.length - 1 ? "%,.0f" : "%.2f";
            line.append(String.format(" %" + Math.max(9, COLUMNS[k].length()) + "s", String.format(fmt, row[k + 1])));
        }
        System.out.println(line);
        table.add(line.toString());
    }

    private static String fileName(int n) {
        return "trades_history-bench-" + n + ".json";
    }

    /** Each size in a folder of its own, so that validating one file does not read the others. */
    private Path generated(int n) throws Exception {
        Path folder = dir.resolve("trades-history-" + n);
        Path file = folder.resolve(fileName(n));
        if (!Files.exists(file)) {
            System.out.printf("Generating %s (%,d trades, half closed)...%n", file, n);
            new TradesHistoryGenerator().trades(n).seed(1).write(file);
        }
        return folder;
    }

    private String freshDatabase() throws Exception {
        try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
            FerrySettings settings = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
            AdminDatabase.recreate(settings, database);
            return AdminDatabase.withName(settings.dbUrl(), database);
        }
    }

    private static void addUser(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trading.users (id, name) VALUES (1, 'bench')");
        }
    }

    /** Every timed load starts from a clean shared buffer pool, not from the previous load's dirty pages. */
    private static void checkpoint(Database db) {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            // not a superuser: the loads then share the checkpointer's work less evenly, nothing more
        }
    }

    private double scriptsReference() throws Exception {
        Path file = generated(SCRIPTS_TRADES).resolve(fileName(SCRIPTS_TRADES));
        try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", freshDatabase()))) {
            Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
            BotFileImport imports = rt.context().getRegistry().lookupByNameAndType("botImport", BotFileImport.class);
            addUser(db);
            checkpoint(db);
            var json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
            try (Connection c = db.connection()) {
                double secs = new ScriptsReference(imports.flow("trades_history"), json).load(c, file);
                System.out.printf("Old scripts' way (row by row, one transaction) on %,d trades: %.2f s, %,.0f trades/s%n",
                        SCRIPTS_TRADES, secs, SCRIPTS_TRADES / secs);
                return secs;
            }
        }
    }

    /**
     * Exports the rows Ferry wrote and times loading them back with a plain COPY (orders, then
     * fills, one transaction) into empty copies of the tables: {with foreign keys, without}.
     * The copies are made with LIKE ... INCLUDING ALL (columns, defaults, CHECK and NOT NULL
     * constraints, indexes, jsonb) and, for (b), the tables' own foreign keys pointed at the copies.
     */
    private double[] copyCeilings(Database db) throws Exception {
        Path orders = dir.resolve("ceiling-orders.copy");
        Path fills = dir.resolve("ceiling-fills.copy");
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(orders), 1 << 20)) {
                copy.copyOut("COPY trading.orders TO STDOUT", o);
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(fills), 1 << 20)) {
                copy.copyOut("COPY trading.fills TO STDOUT", o);
            }
            List<String> foreignKeys = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE contype = 'f' AND conrelid IN ('trading.orders'::regclass, 'trading.fills'::regclass) ORDER BY conrelid, conname""")) {
                while (rs.next()) {
                    String table = rs.getString(1).replace("trading.", "");
                    foreignKeys.add("ALTER TABLE ceiling_fk." + table + " ADD CONSTRAINT " + rs.getString(2) + " "
                            + rs.getString(3).replace("REFERENCES trading.", "REFERENCES ceiling_fk."));
                }
            }
            double[] secs = new double[2];
            for (int k = 0; k < 2; k++) {
                String schema = k == 0 ? "ceiling_fk" : "ceiling_nofk";
                st.execute("CREATE SCHEMA " + schema);
                for (String t : List.of("users", "orders", "fills")) {
                    st.execute("CREATE TABLE " + schema + "." + t + " (LIKE trading." + t + " INCLUDING ALL)");
                }
                st.execute("INSERT INTO " + schema + ".users SELECT * FROM trading.users");
                if (k == 0) {
                    for (String fk : foreignKeys) {
                        st.execute(fk);
                    }
                }
                checkpoint(db);
                long t0 = System.nanoTime();
                c.setAutoCommit(false);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(orders), 1 << 20)) {
                    copy.copyIn("COPY " + schema + ".orders FROM STDIN", in);
                }
                try (InputStream in = new BufferedInputStream(Files.newInputStream(fills), 1 << 20)) {
                    copy.copyIn("COPY " + schema + ".fills FROM STDIN", in);
                }
                c.commit();
                secs[k] = (System.nanoTime() - t0) / 1e9;
                c.setAutoCommit(true);
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            return secs;
        } finally {
            Files.deleteIfExists(orders);
            Files.deleteIfExists(fills);
        }
    }
}
