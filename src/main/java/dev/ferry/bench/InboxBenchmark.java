package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.FerryRuntime;
import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.settings.FerrySettings;

/**
 * The service at its default settings, as a user drops files into its inbox: (i) single
 * 1,000-trade files, one at a time, timed from the file's last modification to its run's end
 * in ferry.runs, less the write-complete wait; (ii) a burst of 100 files of 100 trades for 10
 * users dropped at once, in files per second from the drop to the last run's end, with each
 * user's runs checked to have run in file order; (iii) the same burst with one user at a time,
 * for reference. Every part checks that every order and fill arrived.
 */
public final class InboxBenchmark {

    private static final int USERS = 10;
    private static final int BURST_FILES_PER_USER = 10;
    private static final int BURST_TRADES = 100;
    private static final int LATENCY_TRADES = 1000;

    private final int trials;
    private final String database;
    private final Path dir;
    private final List<String> problems = new ArrayList<>();
    private int seed;

    public InboxBenchmark(int trials, String database, Path dir) {
        this.trials = trials;
        this.database = database;
        this.dir = dir.toAbsolutePath().normalize().resolve("inbox-bench");
    }

    /** One round's figures: part (i)'s median and p90, part (ii)'s and part (iii)'s files/s. */
    private record Round(double median, double p90, double burst, double serial) {
    }

    /** Runs all three parts {@code repeat} times and reports each round and the medians. */
    public boolean run(int repeat) throws Exception {
        List<Round> rounds = new ArrayList<>();
        int parallel = 0;
        for (int i = 1; i <= repeat; i++) {
            System.out.printf("Round %d of %d%n", i, repeat);
            Service service = start(Map.of());
            double[] latency;
            double burst;
            try {
                parallel = service.settings.inboxParallelUsers();
                System.out.printf("Defaults: write-complete wait %d ms, scan every %s ms, %d users at once; %d CPU(s)%n",
                        service.settings.inboxWriteCompleteMillis(), service.settings.string("ferry.inbox.poll-ms", "?"), parallel,
                        Runtime.getRuntime().availableProcessors());
                latency = latency(service);
                burst = burst(service, "(ii)");
            } finally {
                service.close();
            }
            Service single = start(Map.of("ferry.inbox.parallel-users", "1"));
            double serial;
            try {
                serial = burst(single, "(iii)");
            } finally {
                single.close();
            }
            Arrays.sort(latency);
            rounds.add(new Round(percentile(latency, 50), percentile(latency, 90), burst, serial));
        }
        double median = middle(rounds.stream().mapToDouble(Round::median));
        double burst = middle(rounds.stream().mapToDouble(Round::burst));
        double serial = middle(rounds.stream().mapToDouble(Round::serial));
        System.out.println();
        System.out.printf("%-6s %-34s %-22s %-28s%n", "round", "(i) 1,000 trades, beyond the wait", "(ii) burst, " + parallel + " at once",
                "(iii) same burst, 1 at a time");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            System.out.printf("%-6d %-34s %-22s %-28s%n", i + 1, String.format("median %.2f s, p90 %.2f s", r.median(), r.p90()),
                    String.format("%.1f files/s", r.burst()), String.format("%.1f files/s", r.serial()));
        }
        System.out.printf("%-6s %-34s %-22s %-28s%n", "median", String.format("median %.2f s", median), String.format("%.1f files/s", burst),
                String.format("%.1f files/s (%.1f x fewer)", serial, burst / serial));
        System.out.printf("Targets (median of %d rounds): (i) median <= 0.5 s: %s; (ii) >= 25 files/s: %s; (iii) is the reference.%n",
                rounds.size(), median <= 0.5 ? "met" : "NOT met", burst >= 25 ? "met" : "NOT met");
        problems.forEach(p -> System.out.println("PROBLEM: " + p));
        System.out.println(problems.isEmpty() ? "All rows arrived; every user's runs ran in file order." : "");
        return problems.isEmpty();
    }

    private static double middle(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        return v[v.length / 2];
    }

    /** Part (i): each file is complete when it lands (written beside the inbox, then moved in). */
    private double[] latency(Service s) throws Exception {
        double[] beyond = new double[trials];
        for (int i = 0; i < trials; i++) {
            Path staged = stage(1, "trades_history-latency-" + i + ".json", LATENCY_TRADES);
            long mtime = Files.getLastModifiedTime(staged).toMillis();
            String name = drop(s, staged, 1);
            double endMillis = awaitRuns(s, List.of(name), 1, 120)[0];
            beyond[i] = (endMillis - mtime - s.settings.inboxWriteCompleteMillis()) / 1000.0;
            awaitGone(s.inbox.resolve("user_1").resolve(name));
            System.out.printf("(i) trial %2d: %.3f s beyond the wait%n", i + 1, beyond[i]);
        }
        checkRows(s, "(i)", expectedOrders(LATENCY_TRADES) * trials, expectedFills(LATENCY_TRADES) * trials);
        return beyond;
    }

    /**
     * Parts (ii) and (iii): every file is written first and left until it is complete, then all
     * are moved in at once; the clock runs from the move to the last run's end.
     */
    private double burst(Service s, String part) throws Exception {
        s.emptyTables();
        Map<Long, List<String>> byUser = new HashMap<>();
        List<Path> staged = new ArrayList<>();
        for (int k = 0; k < BURST_FILES_PER_USER; k++) {
            for (long u = 1; u <= USERS; u++) {
                String name = String.format("trades_history-burst-%02d.json", k);
                staged.add(stage(u, name, BURST_TRADES));
                byUser.computeIfAbsent(u, x -> new ArrayList<>()).add(name);
            }
        }
        // written in file order per user: each user's later file has the later modification time
        Thread.sleep(s.settings.inboxWriteCompleteMillis() + 50);
        long t0 = System.currentTimeMillis();
        for (Path p : staged) {
            drop(s, p, Long.parseLong(p.getParent().getFileName().toString().substring("user_".length())));
        }
        List<String> all = byUser.values().stream().flatMap(List::stream).distinct().toList();
        double last = 0;
        for (double end : awaitRuns(s, all, staged.size(), 300)) {
            last = Math.max(last, end);
        }
        double filesPerSecond = staged.size() / ((last - t0) / 1000.0);
        System.out.printf("%s %d files in %.2f s: %.1f files/s%n", part, staged.size(), (last - t0) / 1000.0, filesPerSecond);
        checkOrder(s, part, byUser);
        checkRows(s, part, expectedOrders(BURST_TRADES) * staged.size(), expectedFills(BURST_TRADES) * staged.size());
        return filesPerSecond;
    }

    /** Writes a file of distinct trades (its own start day, so no record repeats another file's) beside the inbox. */
    private Path stage(long user, String name, int trades) throws IOException {
        Path p = dir.resolve("staging").resolve("user_" + user).resolve(name);
        seed++;
        new TradesHistoryGenerator().trades(trades).seed(seed).start(LocalDateTime.of(2020, 1, 1, 9, 15).plusDays(seed)).write(p);
        return p;
    }

    /** One rename into the inbox: Ferry never sees the file half-written, and its modification time is kept. */
    private static String drop(Service s, Path staged, long user) throws IOException {
        Path target = s.inbox.resolve("user_" + user).resolve(staged.getFileName());
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        return staged.getFileName().toString();
    }

    /** Waits until the files of these names (of any user) have finished this many runs; returns their end times, epoch millis. */
    private static double[] awaitRuns(Service s, List<String> names, int runs, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        try (Connection c = s.db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*), max(extract(epoch FROM ended_at) * 1000) FROM ferry.runs
                WHERE source_file = ANY (?) AND ended_at IS NOT NULL AND status IN ('completed', 'completed_with_rejects')""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= runs) {
                        return endTimes(c, names);
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(runs + " runs of " + names + " did not finish within " + seconds + " s");
                }
                Thread.sleep(10);
            }
        }
    }

    private static double[] endTimes(Connection c, List<String> names) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT extract(epoch FROM ended_at) * 1000 FROM ferry.runs WHERE source_file = ANY (?) AND ended_at IS NOT NULL""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            List<Double> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static void awaitGone(Path inboxFile) throws InterruptedException {
        for (int i = 0; i < 1000 && Files.exists(inboxFile); i++) {
            Thread.sleep(5);
        }
    }

    /** Each user's runs, in run-id order, must be the user's files in file order, one finished before the next began. */
    private void checkOrder(Service s, String part, Map<Long, List<String>> byUser) throws SQLException {
        try (Connection c = s.db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT source_file, started_at >= coalesce(lag(ended_at) OVER (ORDER BY id), started_at)
                FROM ferry.runs WHERE user_id = ? ORDER BY id""")) {
            for (var e : byUser.entrySet()) {
                ps.setLong(1, e.getKey());
                List<String> ran = new ArrayList<>();
                boolean oneAtATime = true;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ran.add(rs.getString(1));
                        oneAtATime &= rs.getBoolean(2);
                    }
                }
                if (!ran.equals(e.getValue()) || !oneAtATime) {
                    problems.add(part + " user " + e.getKey() + " ran " + ran + (oneAtATime ? "" : " (overlapping)") + ", files were " + e.getValue());
                }
            }
        }
    }

    private void checkRows(Service s, String part, long orders, long fills) throws SQLException {
        try (Connection c = s.db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM trading.orders), (SELECT count(*) FROM trading.fills)")) {
            rs.next();
            System.out.printf("%s rows: %,d orders (expected %,d), %,d fills (expected %,d)%n", part, rs.getLong(1), orders, rs.getLong(2), fills);
            if (rs.getLong(1) != orders || rs.getLong(2) != fills) {
                problems.add(part + ": " + rs.getLong(1) + " orders and " + rs.getLong(2) + " fills, expected " + orders + " and " + fills);
            }
        }
    }

    /** A buy order per trade, a sell order per closed trade (every second one), and the file's failed order. */
    static long expectedOrders(int trades) {
        return trades + trades / 2 + 1;
    }

    /** A fill per order but the failed one. */
    static long expectedFills(int trades) {
        return trades + trades / 2;
    }

    private static double percentile(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The service, as bin/ferry starts it but in this process, on a fresh database with its folders under the bench dir. */
    private Service start(Map<String, String> extra) throws Exception {
        FerrySettings probeSettings;
        try (FerryRuntime probe = FerryRuntime.start(false, Map.of("ferry.db.migrate-on-start", "false"))) {
            probeSettings = probe.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
            AdminDatabase.recreate(probeSettings, database);
        }
        Path work = dir.resolve("run");
        deleteTree(dir);
        Map<String, String> settings = new HashMap<>(Map.of(
                "ferry.db.url", AdminDatabase.withName(probeSettings.dbUrl(), database),
                "ferry.inbox", work.resolve("inbox").toString(),
                "ferry.done", work.resolve("done").toString(),
                "ferry.error", work.resolve("error").toString(),
                "ferry.reports", work.resolve("reports").toString()));
        settings.putAll(extra);
        FerryRuntime rt = FerryRuntime.start(true, settings);
        Service s = new Service(rt, work.resolve("inbox"));
        try (Connection c = s.db.connection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trading.users (id, name) SELECT g, 'bench ' || g FROM generate_series(1, " + USERS + ") g");
        }
        return s;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static final class Service implements AutoCloseable {
        final FerryRuntime rt;
        final Database db;
        final FerrySettings settings;
        final Path inbox;

        Service(FerryRuntime rt, Path inbox) {
            this.rt = rt;
            this.db = rt.context().getRegistry().lookupByNameAndType("database", Database.class);
            this.settings = rt.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
            this.inbox = inbox;
        }

        void emptyTables() throws SQLException {
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute("TRUNCATE trading.fills, trading.orders, ferry.record_keys, ferry.processed_files, ferry.rejects, ferry.duplicates, "
                        + "ferry.runs CASCADE");
            }
        }

        @Override
        public void close() throws Exception {
            rt.close();
        }
    }
}
