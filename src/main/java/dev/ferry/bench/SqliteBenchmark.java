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
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.settings.FerrySettings;
import org.postgresql.PGConnection;

/**
 * The SQLite migration of a market store shaped like the real one, in one run: Ferry's
 * whole job (schema, data, indexes, foreign keys, validation) into a fresh database, as a
 * fresh `ferry sqlite` process, Ferry again with --conflict update over the loaded target,
 * pgloader into another fresh database, and the ceiling: psql's \copy of the same OHLCV rows
 * into a bare table. Repeated, with the median of each column printed against the targets.
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
        // the shape's version in the name: a store generated before the table kinds changed is not reused
        Path store = dir.resolve("market-kinds-" + ohlcvRows + ".db");
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
        Path jar = Path.of(SqliteBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path launcher = Path.of("bin", "ferry").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            launcher = null;
        }
        System.out.println("Ferry runs as " + (launcher != null ? launcher + " (its JVM options for one-shot jobs)" : "java -Xmx512m -jar " + jar
                + " (no bin/ferry in the working directory)"));
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
        if (launcher != null && (!Files.exists(archive) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) <= 0)) {
            // as after a user's first job: the launcher records its class-data archive on a jar's first run
            System.out.println("Recording the launcher's class-data archive: one untimed dry run...");
            AdminDatabase.recreate(settings, database);
            ferry(launcher, jar, AdminDatabase.withName(settings.dbUrl(), database), store, "warm-up", null, true);
        }
        String fmt = "%-4s %9s %8s %8s %8s %10s %6s %6s %12s %8s %8s %8s %9s %11s%n";
        System.out.printf(fmt, "run", "rows", "ferry s", "job s", "update s", "pgloader s", "ratio", "job/pg", "ohlcv rows/s", "\\copy s",
                "upd/1st", "peak MB", "pg rows=", "jdbc rows/s");
        List<double[]> rows = new ArrayList<>();
        boolean ok = true;
        Map<String, String> readers = Map.of();
        String snapshot = null;
        for (int i = 1; i <= repeat; i++) {
            AdminDatabase.recreate(settings, database);
            String url = AdminDatabase.withName(settings.dbUrl(), database);
            // Ferry as users run it: a fresh JVM per migration, its peak RSS measured by the kernel
            Ferry first = ferry(launcher, jar, url, store, i + "-first", null, false);
            Ferry update = ferry(launcher, jar, url, store, i + "-update", "update", false);
            if (!first.ok || !update.ok) {
                System.out.println("unexpected result, see " + first.log + " and " + update.log);
                ok = false;
            }
            double copy;
            try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", url, "ferry.reports", dir.resolve("reports").toString()))) {
                Database db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
                copy = copyCeiling(db, url, settings.dbUser());
            }
            double pgloader = pgloader(settings, store);
            // the fallback path on its own: every table through sqlite-jdbc, into a fresh database again
            AdminDatabase.recreate(settings, database + "_jdbc");
            Ferry jdbc = ferry(launcher, jar, AdminDatabase.withName(settings.dbUrl(), database + "_jdbc"), store, i + "-jdbc", null, false,
                    Map.of("FERRY_SQLITE_PAGE_READER", "false"));
            if (!jdbc.ok) {
                System.out.println("unexpected result, see " + jdbc.log);
                ok = false;
            }
            double peak = Math.max(first.peakMb, update.peakMb);
            Map<String, Long> ours = counts(settings, database, first.readers.keySet());
            Map<String, Long> theirs = counts(settings, database + "_pgloader", first.readers.keySet());
            boolean same = ours.equals(theirs);
            if (!same) {
                System.out.println("row counts differ: Ferry " + ours + ", pgloader " + theirs);
                ok = false;
            }
            rows.add(new double[] {first.rows, first.wall, first.job, update.wall, pgloader, first.wall / pgloader, first.job / pgloader,
                first.ohlcvRate, copy, update.wall / first.wall, peak, same ? 1 : 0, jdbc.ohlcvRate});
            print(fmt, String.valueOf(i), rows.get(rows.size() - 1));
            if (i == 1) {
                readers = first.readers;
                snapshot = first.snapshot;
            }
        }
        double[] med = new double[rows.get(0).length];
        for (int k = 0; k < med.length; k++) {
            final int col = k;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            med[k] = v[v.length / 2];
        }
        print(fmt, "med", med);
        System.out.println();
        System.out.println("How each table was read (run 1):");
        readers.forEach((t, how) -> System.out.printf("  %-24s %s%n", t, how));
        System.out.println("  " + (snapshot == null ? "the store itself (not live)" : "from one snapshot: " + snapshot));
        System.out.println();
        System.out.println("ferry s: the whole `ferry sqlite` process (JVM start, schema, data, indexes, foreign keys, validation);"
                + " job s: the run as Ferry records it (ferry.runs started..ended)");
        System.out.printf("targets: ferry/pgloader %.2f (<= 0.60: %s; by job time %.2f), ohlcv %,.0f rows/s (>= 150,000: %s), through"
                        + " sqlite-jdbc %,.0f rows/s (>= 150,000: %s), peak RSS %,.0f MB (<= 1,024: %s), update run %.2f x the first (<= 2.5: %s)%n",
                med[5], yes(med[5] <= 0.6), med[6], med[7], yes(med[7] >= 150_000), med[12], yes(med[12] >= 150_000), med[10], yes(med[10] <= 1024),
                med[9], yes(med[9] <= 2.5));
        return ok;
    }

    private static void print(String fmt, String run, double[] r) {
        System.out.printf(fmt, run, String.format("%,.0f", r[0]), f(r[1]), f(r[2]), f(r[3]), f(r[4]), f(r[5]), f(r[6]),
                String.format("%,.0f", r[7]), f(r[8]), f(r[9]), String.format("%,.0f", r[10]), r[11] == 1 ? "yes" : "NO",
                String.format("%,.0f", r[12]));
    }

    private record Ferry(boolean ok, double wall, double job, long rows, double ohlcvRate, double peakMb, Path log, Map<String, String> readers,
                         String snapshot) {
    }

    /** Rows per table in a database, in whatever schema the loader put them (pgloader and Ferry may differ). */
    private static Map<String, Long> counts(FerrySettings settings, String dbName, java.util.Collection<String> tables) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", settings.dbUser());
        settings.dbPassword().ifPresent(pw -> p.setProperty("password", pw));
        try (Connection c = java.sql.DriverManager.getConnection(AdminDatabase.withName(settings.dbUrl(), dbName), p)) {
            for (String t : tables) {
                String schema = null;
                try (var ps = c.prepareStatement("SELECT table_schema FROM information_schema.tables WHERE table_name = ?"
                        + " AND table_schema NOT IN ('pg_catalog', 'information_schema', 'ferry') ORDER BY table_schema LIMIT 1")) {
                    ps.setString(1, t);
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) {
                            schema = rs.getString(1);
                        }
                    }
                }
                if (schema == null) {
                    out.put(t, -1L);
                    continue;
                }
                try (Statement st = c.createStatement();
                     var rs = st.executeQuery("SELECT count(*) FROM " + dev.ferry.sqlite.write.TargetNames.quote(schema) + "."
                             + dev.ferry.sqlite.write.TargetNames.quote(t))) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** One `ferry sqlite STORE` process (through the launcher when there is one); its numbers come from its JSON report and GNU time. */
    private Ferry ferry(Path launcher, Path jar, String url, Path store, String name, String conflict, boolean dryRun) throws Exception {
        return ferry(launcher, jar, url, store, name, conflict, dryRun, Map.of());
    }

    private Ferry ferry(Path launcher, Path jar, String url, Path store, String name, String conflict, boolean dryRun, Map<String, String> env)
            throws Exception {
        Path reports = dir.resolve("reports-" + name);
        Path log = dir.resolve("ferry-" + name + ".log");
        if (Files.isDirectory(reports)) {
            try (var old = Files.list(reports)) {
                for (Path f : old.toList()) {
                    Files.delete(f); // a report of an earlier benchmark would be read as this run's
                }
            }
        }
        List<String> cmd = new ArrayList<>();
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        if (gnuTime) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "peak-rss-kb %M"));
        }
        if (launcher != null) {
            cmd.addAll(List.of(launcher.toString(), "sqlite", store.toString()));
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(), "sqlite",
                    store.toString()));
        }
        if (conflict != null) {
            cmd.addAll(List.of("--conflict", conflict));
        }
        if (dryRun) {
            cmd.add("--dry-run");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FERRY_JAR", jar.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("FERRY_DB_URL", url);
        pb.environment().put("FERRY_REPORTS", reports.toString());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ferry sqlite did not finish, see " + log);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Path report;
        try (var files = Files.list(reports)) {
            report = files.filter(f -> f.getFileName().toString().matches("run-\\d+\\.json")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no run report in " + reports + ", see " + log));
        }
        var json = ReportWriter.JSON.readTree(report.toFile());
        double job = java.time.Duration.between(java.time.Instant.parse(json.at("/run/startedAt").asText()),
                java.time.Instant.parse(json.at("/run/endedAt").asText())).toMillis() / 1e3;
        long rows = 0;
        double rate = 0;
        Map<String, String> readers = new java.util.LinkedHashMap<>();
        for (var t : json.get("tables")) {
            rows += t.get("read").asLong();
            if (!t.path("view").asBoolean()) {
                readers.put(t.get("table").asText(), t.path("reader").isNull() || t.path("reader").isMissingNode() ? "(not read: "
                        + t.path("status").asText() + ")" : t.get("reader").asText());
            }
            if (t.get("table").asText().equals("ohlcv_data") && t.get("seconds").asDouble() > 0) {
                rate = t.get("read").asDouble() / t.get("seconds").asDouble();
            }
        }
        double peak = -1;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("peak-rss-kb ")) {
                peak = Long.parseLong(line.substring(12).strip()) / 1024.0;
            }
        }
        return new Ferry(p.exitValue() == 0, wall, job, rows, rate, peak, log, readers,
                json.path("snapshot").isTextual() ? json.get("snapshot").asText() : null);
    }

    private static String yes(boolean b) {
        return b ? "met" : "MISSED";
    }

    private static String f(double v) {
        return String.format("%.2f", v);
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
