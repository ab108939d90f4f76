package dev.ferry.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.FerryRuntime;
import dev.ferry.config.FerrySettings;
import dev.ferry.db.AdminDatabase;
import dev.ferry.db.Database;
import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.sqlite.report.MigrationResult;
import dev.ferry.sqlite.report.TableResult;
import org.postgresql.PGConnection;

/**
 * The SQLite migration of a market store shaped like the real one, in one run: Ferry's
 * whole job (schema, data, indexes, foreign keys, validation) into a fresh database,
 * Ferry again with --conflict update over the loaded target, pgloader into another fresh
 * database, and the ceiling: psql's \copy of the same OHLCV rows into a bare table.
 * Repeated, with the median of each column printed against the targets.
 */
public final class SqliteBenchmark {

    private final int ohlcvRows;
    private final int repeat;
    private final Path dir;
    private final String database;

    public SqliteBenchmark(int ohlcvRows, int repeat, String database, Path dir) {
        this.ohlcvRows = ohlcvRows;
        this.repeat = repeat;
        this.database = database;
        this.dir = dir.toAbsolutePath().normalize();
    }

    public boolean run() throws Exception {
        Path store = dir.resolve("market-" + ohlcvRows + ".db");
        if (!Files.exists(store)) {
            System.out.printf("Generating %s (%,d OHLCV rows, 12 tables)...%n", store, ohlcvRows);
            new MarketStoreGenerator().ohlcvRows(ohlcvRows).write(store);
        }
        System.out.printf("Store: %s, %,d MB; JVM max heap %,d MB; %d CPU(s)%n", store, Files.size(store) >> 20,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        FerrySettings settings;
        try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
            settings = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
        }
        String fmt = "%-4s %9s %9s %10s %9s %7s %12s %10s %11s %9s%n";
        System.out.printf(fmt, "run", "rows", "ferry s", "update s", "pgloader s", "ratio", "ohlcv rows/s", "\\copy s", "update/1st", "peak MB");
        List<double[]> rows = new ArrayList<>();
        boolean ok = true;
        for (int i = 1; i <= repeat; i++) {
            AdminDatabase.recreate(settings, database);
            String url = AdminDatabase.withName(settings.dbUrl(), database);
            double ferry;
            double update;
            double ohlcvRate;
            long total;
            double copy;
            try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", url, "ferry.reports", dir.resolve("reports").toString()))) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                db.ready(); // Ferry's own bookkeeping schema, as an installed Ferry has it
                long t0 = System.nanoTime();
                MigrationResult first = migrate(rt, store, null);
                ferry = (System.nanoTime() - t0) / 1e9;
                total = first.getTables().stream().mapToLong(t -> t.read).sum();
                TableResult ohlcv = first.table("ohlcv_data");
                ohlcvRate = ohlcv.read / ohlcv.seconds;
                if (!first.getRun().getStatus().accepted() || first.getValidation() == null || !first.getValidation().isOk()) {
                    System.out.println("unexpected result: " + first.getRun().summaryLine());
                    ok = false;
                }
                t0 = System.nanoTime();
                MigrationResult second = migrate(rt, store, "update");
                update = (System.nanoTime() - t0) / 1e9;
                if (!second.getRun().getStatus().accepted() || !second.getValidation().isOk()) {
                    System.out.println("unexpected result of the update run: " + second.getRun().summaryLine());
                    ok = false;
                }
                copy = copyCeiling(db, url, settings.dbUser());
            }
            double pgloader = pgloader(settings, store);
            double peak = PeakRss.megabytes();
            rows.add(new double[] {total, ferry, update, pgloader, ferry / pgloader, ohlcvRate, copy, update / ferry, peak});
            System.out.printf(fmt, i, String.format("%,d", total), f(ferry), f(update), f(pgloader), f(ferry / pgloader),
                    String.format("%,.0f", ohlcvRate), f(copy), f(update / ferry), String.format("%,.0f", peak));
        }
        double[] med = new double[rows.get(0).length];
        for (int k = 0; k < med.length; k++) {
            final int col = k;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            med[k] = v[v.length / 2];
        }
        System.out.printf(fmt, "med", String.format("%,.0f", med[0]), f(med[1]), f(med[2]), f(med[3]), f(med[4]),
                String.format("%,.0f", med[5]), f(med[6]), f(med[7]), String.format("%,.0f", med[8]));
        System.out.println();
        System.out.printf("targets: ferry/pgloader %.2f (<= 0.60: %s), ohlcv %,.0f rows/s (>= 150,000: %s), peak RSS %,.0f MB (<= 1,024: %s),"
                        + " update run %.2f x the first (<= 2.5: %s)%n", med[4], yes(med[4] <= 0.6), med[5], yes(med[5] >= 150_000), med[8],
                yes(med[8] <= 1024), med[7], yes(med[7] <= 2.5));
        return ok;
    }

    private static String yes(boolean b) {
        return b ? "met" : "MISSED";
    }

    private static String f(double v) {
        return String.format("%.2f", v);
    }

    private static MigrationResult migrate(FerryRuntime rt, Path store, String conflict) {
        Map<String, Object> h = new java.util.HashMap<>(Map.of("FerrySqliteFile", store.toString()));
        if (conflict != null) {
            h.put("FerryConflict", conflict);
        }
        return rt.template().requestBodyAndHeaders("direct:sqlite-migrate", null, h, MigrationResult.class);
    }

    /** pgloader's whole job (schema, data, indexes, foreign keys, sequences) into a fresh database; its wall time. */
    private double pgloader(FerrySettings settings, Path store) throws Exception {
        String db = database + "_pgloader";
        AdminDatabase.recreate(settings, db);
        String target = AdminDatabase.withName(settings.dbUrl(), db).replaceFirst("^jdbc:postgresql://", "postgresql://" + settings.dbUser() + "@");
        Path log = dir.resolve("pgloader.log");
        ProcessBuilder pb = new ProcessBuilder("pgloader", "--no-ssl-cert-verification", "sqlite://" + store, target)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        settings.dbPassword().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pgloader failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "), see " + log);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** psql \copy of the OHLCV rows Ferry loaded, into a bare table of the same columns: the speed limit of the write side. */
    private double copyCeiling(Database db, String url, String user) throws Exception {
        Path file = dir.resolve("ceiling-ohlcv.copy");
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY public.ohlcv_data TO STDOUT", o);
            }
            st.execute("CREATE TABLE public.ceiling_ohlcv (LIKE public.ohlcv_data)");
        }
        String conn = url.replaceFirst("^jdbc:postgresql://", "postgresql://");
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", user, "-d", conn,
                "-c", "\\copy public.ceiling_ohlcv FROM '" + file + "'").redirectErrorStream(true).redirectOutput(dir.resolve("psql.log").toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("psql \\copy failed, see " + dir.resolve("psql.log"));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Files.deleteIfExists(file);
        return secs;
    }
}
