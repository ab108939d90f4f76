package dev.ferry.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.FerryRuntime;
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.settings.FerrySettings;

/**
 * The v2 -> v3 migration on the benchmark's v2 database (200,000 trades, 60% closed, 100,000
 * signals, 50,000 sltp orders, 150,000 history rows, 1,000 sessions; half the v2 signals already
 * in v3 as the platform's own), against the guide's own SQL run by psql on the same data in the
 * same run. Then 1,000 changes in v2 (new trades, closes, stop moves, signals, deletes) and one
 * sync. Ferry runs as a user runs it (bin/ferry), so its time includes the JVM's start and the
 * validation; peak RSS is GNU time's.
 */
public final class V2Benchmark {

    private static final double FULL_TARGET = 1.5;
    private static final double SYNC_TARGET = 0.10;
    private static final double RSS_TARGET_MB = 1024;
    private static final int CHANGES = 1_000;

    private final int trades;
    private final int repeat;
    private final String database;
    private final Path dir;

    public V2Benchmark(int trades, int repeat, String database, Path dir) {
        this.trades = trades;
        this.repeat = repeat;
        this.database = database;
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** One Ferry process: wall time, its job's time from the JSON report, peak RSS, rows/s per v2 table. */
    record Ferry(boolean ok, double wall, double job, double rssMb, Map<String, Long> rowsPerSecond, String summary) {
    }

    public boolean run() throws Exception {
        FerrySettings settings;
        try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
            settings = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
        }
        Files.createDirectories(dir);
        Path jar = Path.of(V2Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path launcher = Path.of("bin", "ferry").toAbsolutePath();
        double scale = trades / 200_000.0;
        V2DatabaseGenerator shape = V2DatabaseGenerator.benchmark().trades(trades).signals((int) (100_000 * scale)).sltp((int) (50_000 * scale))
                .history((int) (150_000 * scale)).sessions(Math.max(10, (int) (1_000 * scale))).quirks(false);
        System.out.printf("v2: %,d trades (60%% closed), %,d signals, %,d sltp orders, %,d history rows, %,d sessions; "
                        + "half the v2 signals already in v3 as the platform's own. %d CPU(s)%n", trades, (int) (100_000 * scale),
                (int) (50_000 * scale), (int) (150_000 * scale), Math.max(10, (int) (1_000 * scale)), Runtime.getRuntime().availableProcessors());
        System.out.println("Reference: the guide's SQL (its 3.1-3.4, enum labels corrected) by psql in one transaction, on the same v2 rows "
                + "imported into its v3 database as v2_*; it loses rows Ferry keeps and validates nothing.");
        String fmt = "%-4s %9s %9s %8s %7s %8s %9s %8s %10s %9s%n";
        System.out.printf(fmt, "run", "guide s", "ferry s", "job s", "ratio", "sync s", "sync/full", "RSS MB", "ceiling s", "job/ceil");
        List<double[]> rows = new ArrayList<>();
        Map<String, List<Long>> rates = new LinkedHashMap<>();
        boolean allOk = true;
        for (int i = 1; i <= repeat; i++) {
            String v2 = database + "_v2";
            String v3 = database + "_v3";
            String anchor = database + "_guide";
            for (String db : List.of(v2, v3, anchor)) {
                AdminDatabase.recreate(settings, db);
            }
            V2DatabaseGenerator gen = shape.seed(i).tablePrefix("");
            try (Connection c2 = connect(settings, v2); Connection c3 = connect(settings, v3); Connection cg = connect(settings, anchor)) {
                gen.create(c2);
                script(c3, "v2/v3-base.sql");
                gen.seedV3Signals(c2, c3, 0.5);
                // the guide's side: the same v3 (base, compatibility change, the platform's signals) with v2 beside it as v2_*
                script(cg, "v2/v3-base.sql");
                script(cg, "config/schema/v3-compat/1.0.0__v2_compatibility/up.sql");
                V2DatabaseGenerator guide = V2DatabaseGenerator.benchmark().trades(trades).signals((int) (100_000 * scale))
                        .sltp((int) (50_000 * scale)).history((int) (150_000 * scale)).sessions(Math.max(10, (int) (1_000 * scale)))
                        .quirks(false).seed(i).tablePrefix("v2_");
                guide.create(cg);
                guide.seedV3Signals(cg, cg, 0.5);
            }
            double guideSecs;
            Ferry full;
            // alternate which side goes first, so neither always meets a warmer or a busier server
            if (i % 2 == 1) {
                guideSecs = V2GuideAnchor.run(AdminDatabase.withName(settings.dbUrl(), anchor), settings.dbUser()).toNanos() / 1e9;
                full = ferry(launcher, jar, settings, v2, v3, i + "-migrate", "migrate");
            } else {
                full = ferry(launcher, jar, settings, v2, v3, i + "-migrate", "migrate");
                guideSecs = V2GuideAnchor.run(AdminDatabase.withName(settings.dbUrl(), anchor), settings.dbUser()).toNanos() / 1e9;
            }
            try (Connection c2 = connect(settings, v2)) {
                V2DatabaseGenerator.mutate(c2, CHANGES, 1000 + i);
            }
            double ceiling = ceiling(settings, v3);
            Ferry sync = ferry(launcher, jar, settings, v2, v3, i + "-sync", "sync");
            allOk &= full.ok() && sync.ok();
            double[] r = {guideSecs, full.wall(), full.job(), full.wall() / guideSecs, sync.wall(), sync.wall() / full.wall(),
                    Math.max(full.rssMb(), sync.rssMb()), ceiling, full.job() / ceiling};
            rows.add(r);
            full.rowsPerSecond().forEach((t, v) -> rates.computeIfAbsent(t, k -> new ArrayList<>()).add(v));
            System.out.printf(fmt, i, f(r[0]), f(r[1]), f(r[2]), f(r[3]), f(r[4]), f(r[5]), String.format("%.0f", r[6]), f(r[7]), f(r[8]));
            if (!full.ok() || !sync.ok()) {
                System.out.println("  not clean: " + full.summary() + " / " + sync.summary());
            }
        }
        double[] m = new double[9];
        for (int c = 0; c < m.length; c++) {
            m[c] = median(rows, c);
        }
        System.out.printf(fmt, "med", f(m[0]), f(m[1]), f(m[2]), f(m[3]), f(m[4]), f(m[5]), String.format("%.0f", m[6]), f(m[7]), f(m[8]));
        System.out.println("ceiling: a plain COPY of exactly the v3 rows of the six tables Ferry writes, into empty copies with their keys, "
                + "indexes and foreign key (no lineage, no reading, no mapping, no validation): the write limit of any loader that keeps v3's schema");
        StringBuilder perTable = new StringBuilder("Full pass, rows/s per v2 table (median):");
        rates.forEach((t, v) -> perTable.append(' ').append(t).append(' ').append(String.format("%,d", median(v))));
        System.out.println(perTable);
        boolean fullMet = m[3] <= FULL_TARGET;
        boolean syncMet = m[5] <= SYNC_TARGET;
        boolean rssMet = m[6] > 0 && m[6] <= RSS_TARGET_MB;
        System.out.printf("Targets: full pass with validation <= %.1f x the guide's SQL: %s (%.2f); sync after %,d changes <= %.0f%% of the "
                        + "full pass: %s (%.1f%%); peak RSS <= %.0f MB: %s (%.0f MB)%n", FULL_TARGET, yes(fullMet), m[3], CHANGES, SYNC_TARGET * 100,
                yes(syncMet), m[5] * 100, RSS_TARGET_MB, yes(rssMet), m[6]);
        return allOk && fullMet && syncMet && rssMet;
    }

    private Ferry ferry(Path launcher, Path jar, FerrySettings settings, String v2, String v3, String name, String command) throws Exception {
        Path reports = dir.resolve("v2-reports-" + name);
        Path log = dir.resolve("ferry-v2-" + name + ".log");
        if (Files.isDirectory(reports)) {
            try (var old = Files.list(reports)) {
                for (Path f : old.toList()) {
                    Files.delete(f); // an earlier benchmark's report would be read as this run's
                }
            }
        }
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/time"))) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "peak-rss-kb %M"));
        }
        if (Files.isExecutable(launcher)) {
            cmd.addAll(List.of(launcher.toString(), "v2", command));
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(), "v2", command));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FERRY_JAR", jar.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("FERRY_DB_URL", AdminDatabase.withName(settings.dbUrl(), v3));
        pb.environment().put("FERRY_V2_URL", AdminDatabase.withName(settings.dbUrl(), v2));
        pb.environment().put("FERRY_REPORTS", reports.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ferry v2 " + command + " did not finish, see " + log);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Path report;
        try (var files = Files.list(reports)) {
            report = files.filter(f -> f.getFileName().toString().matches("v2-" + command + "-run-\\d+-.*\\.json")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no v2 report in " + reports + ", see " + log));
        }
        JsonNode json = ReportWriter.JSON.readTree(report.toFile());
        double job = java.time.Duration.between(java.time.Instant.parse(json.get("startedAt").asText()),
                java.time.Instant.parse(json.get("endedAt").asText())).toMillis() / 1e3;
        Map<String, Long> rates = new LinkedHashMap<>();
        json.get("tables").fields().forEachRemaining(e -> rates.put(e.getKey(), e.getValue().get("rowsPerSecond").asLong()));
        double peak = -1;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("peak-rss-kb ")) {
                peak = Long.parseLong(line.substring(12).strip()) / 1024.0;
            }
        }
        String status = json.get("status").asText();
        boolean ok = status.equals("OK") && (json.get("validation") == null || json.get("validation").isNull()
                || json.at("/validation/status").asText().equals("VALID"));
        return new Ferry(ok, wall, job, peak, rates, "v2 " + command + " " + status + " (" + json.path("message").asText("") + "), see " + log);
    }

    /** Seconds to COPY the rows of the v3 tables Ferry writes into empty copies of them (LIKE ... INCLUDING ALL, and sltp's foreign key). */
    private double ceiling(FerrySettings settings, String v3) throws Exception {
        List<String> tables = List.of("trading_sessions", "bybit_trade_history", "orders", "trades", "sltp_orders", "signals");
        Map<String, Path> data = new LinkedHashMap<>();
        try (Connection c = connect(settings, v3); Statement st = c.createStatement()) {
            var copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            st.execute("CREATE SCHEMA ceiling");
            for (String t : tables) {
                Path file = dir.resolve("ceiling-" + t + ".copy");
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    copy.copyOut("COPY public." + t + " TO STDOUT", out);
                }
                data.put(t, file);
                st.execute("CREATE TABLE ceiling." + t + " (LIKE public." + t + " INCLUDING ALL)");
            }
            st.execute("ALTER TABLE ceiling.sltp_orders ADD FOREIGN KEY (trade_id) REFERENCES ceiling.orders (id) ON DELETE CASCADE");
            long t0 = System.nanoTime();
            for (String t : tables) {
                try (var in = new java.io.BufferedInputStream(Files.newInputStream(data.get(t)), 1 << 20)) {
                    copy.copyIn("COPY ceiling." + t + " FROM STDIN", in);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            st.execute("DROP SCHEMA ceiling CASCADE");
            for (Path f : data.values()) {
                Files.delete(f);
            }
            return secs;
        }
    }

    private static Connection connect(FerrySettings settings, String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.dbUser());
        settings.dbPassword().ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(AdminDatabase.withName(settings.dbUrl(), db), props);
    }

    private static void script(Connection c, String resource) throws Exception {
        try (InputStream in = V2Benchmark.class.getClassLoader().getResourceAsStream(resource); Statement st = c.createStatement()) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the jar");
            }
            st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static double median(List<double[]> rows, int col) {
        List<Double> v = new ArrayList<>();
        rows.forEach(r -> v.add(r[col]));
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String yes(boolean b) {
        return b ? "met" : "MISSED";
    }

    private static String f(double v) {
        return String.format("%.2f", v);
    }
}
