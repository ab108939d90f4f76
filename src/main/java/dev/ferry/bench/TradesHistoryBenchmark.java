package dev.ferry.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ferry.FerryRuntime;
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.settings.FerrySettings;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Import speed of trades_history files: Ferry's whole run (parse, map, dedup,
 * write, commit) against the ceiling of writing the same rows with a bare COPY
 * into empty tables of the same shape (no parsing, no dedup, no foreign keys).
 */
public final class TradesHistoryBenchmark {

    private final int trades;
    private final int repeat;
    private final String database;
    private final Path dir;

    public TradesHistoryBenchmark(int trades, int repeat, String database, Path dir) {
        this.trades = trades;
        this.repeat = repeat;
        this.database = database;
        this.dir = dir.toAbsolutePath().normalize();
    }

    public boolean run() throws Exception {
        Path file = dir.resolve("user_1").resolve("trades_history-bench-" + trades + ".json");
        if (!Files.exists(file)) {
            System.out.printf("Generating %s (%,d trades, half closed)...%n", file, trades);
            new TradesHistoryGenerator().trades(trades).seed(1).write(file);
        }
        System.out.printf("File: %s, %,d MB; JVM max heap %,d MB; %d CPU(s)%n", file, Files.size(file) >> 20,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<double[]> rows = new ArrayList<>();
        boolean ok = true;
        System.out.printf("%-4s %10s %9s %12s %12s %12s %12s %10s %9s%n", "run", "trades", "seconds", "trades/s", "rows", "rows/s",
                "COPY s", "ferry/COPY", "peak MB");
        for (int i = 1; i <= repeat; i++) {
            String url;
            FerrySettings settings;
            try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
                settings = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
                AdminDatabase.recreate(settings, database);
                url = AdminDatabase.withName(settings.dbUrl(), database);
            }
            try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", url))) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                try (Connection c = db.connection(); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO trading.users (id, name) VALUES (1, 'bench')");
                }
                long t0 = System.nanoTime();
                RunResult r = rt.template().requestBodyAndHeaders("direct:import-bot-file", null, Map.of(
                        "FerryFlow", "trades_history", "FerryFile", file.toString(), "FerryUserId", 1L, "FerryDryRun", false), RunResult.class);
                double secs = (System.nanoTime() - t0) / 1e9;
                long written = r.getOrders() + r.getFills();
                if (r.getStatus() != RunStatus.COMPLETED || r.getDuplicates() != 0 || !r.reconciles()) {
                    System.out.println("unexpected result: " + r.summaryLine());
                    ok = false;
                }
                double copySecs = copyCeiling(db);
                rows.add(new double[] {secs, trades / secs, written, written / secs, copySecs, secs / copySecs, PeakRss.megabytes()});
                System.out.printf("%-4d %,10d %9.2f %,12.0f %,12d %,12.0f %12.2f %10.2f %,9d%n", i, trades, secs, trades / secs, written,
                        written / secs, copySecs, secs / copySecs, PeakRss.megabytes());
            }
        }
        double[] med = new double[7];
        for (int k = 0; k < med.length; k++) {
            final int col = k;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            med[k] = v[v.length / 2];
        }
        System.out.printf("%-4s %,10d %9.2f %,12.0f %,12.0f %,12.0f %12.2f %10.2f %,9.0f%n", "med", trades, med[0], med[1], med[2], med[3],
                med[4], med[5], med[6]);
        return ok;
    }

    /**
     * Exports the rows Ferry wrote and times loading them back with a plain COPY into
     * empty copies of the tables (same columns, defaults and indexes; no foreign keys).
     */
    private double copyCeiling(Database db) throws Exception {
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
            st.execute("CREATE TABLE public.ceiling_orders (LIKE trading.orders INCLUDING ALL)");
            st.execute("CREATE TABLE public.ceiling_fills (LIKE trading.fills INCLUDING ALL)");
            long t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(orders), 1 << 20)) {
                copy.copyIn("COPY public.ceiling_orders FROM STDIN", in);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(fills), 1 << 20)) {
                copy.copyIn("COPY public.ceiling_fills FROM STDIN", in);
            }
            c.commit();
            double secs = (System.nanoTime() - t0) / 1e9;
            c.setAutoCommit(true);
            st.execute("DROP TABLE public.ceiling_orders, public.ceiling_fills");
            return secs;
        } finally {
            Files.deleteIfExists(orders);
            Files.deleteIfExists(fills);
        }
    }
}
