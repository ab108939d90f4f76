package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The reliability suite (issue #13): every registered flow, every fault it can meet, N trials each. A
 * trial gets a fresh database on the suite's own PostgreSQL cluster and a fresh work folder, is prepared by
 * its flow, runs Ferry (the packaged jar, as child processes), takes the fault, is recovered until done,
 * and ends by comparing what the target holds with a clean run's (per table: rows missing, rows extra,
 * rows altered) and by checking read = loaded + duplicates + rejected (+ other). One table sums it up.
 */
public final class ReliabilitySuite {

    /** Every flow the suite drives. A flow of another part of the product is added here, one line each. */
    public static List<ReliabilityFlow> flows() {
        return List.of(new InboxTradesFlow(), new MigrateFolderFlow(), new SqliteFlow(), new V2Flow(), new V2SyncFlow(), new SchemaFlow(),
                new PortfolioFlow(), new PortfolioRollbackFlow());
    }

    /** The full version's trials per cell: kill -9 at ten points, three of every other fault. */
    public static int defaultTrials(Fault fault) {
        return fault == Fault.KILL_9 ? 10 : 3;
    }

    /**
     * @param trials     trials per cell; 0 takes {@link #defaultTrials}
     * @param flows      flow names to run (empty: all)
     * @param faults     faults to inject (empty: all the flow has)
     * @param seed       the suite's seed; each trial's seed derives from it, flow, fault and trial number
     * @param stall      how long PG_UNREACHABLE stops the proxy forwarding (30 s in the full version)
     * @param workRoot   where the trials' folders go
     * @param port       the private cluster's port (0: a free one)
     */
    public record Options(int trials, Set<String> flows, Set<Fault> faults, long seed, Duration stall, Path workRoot, int port) {
        public static Options defaults() {
            return new Options(0, Set.of(), Set.of(), System.nanoTime() & 0xFFFFFFFL, Duration.ofSeconds(30),
                    Path.of(System.getProperty("java.io.tmpdir"), "ferry-reliability"), 0);
        }
    }

    /** One row of the table. {@code notRun} names why the cell could not run here; such a cell neither passes nor fails. */
    public record Cell(String flow, Fault fault, int trials, int completed, int recovered, long lost, long duplicated, long altered,
                       int balanced, int leftRunning, int faultInFlight, String notRun, List<String> problems) {
        public boolean ok() {
            return notRun != null || (lost == 0 && duplicated == 0 && altered == 0 && balanced == trials && leftRunning == 0
                    && recovered == trials);
        }
    }

    public record Result(long seed, List<Cell> cells, Path workRoot) {
        public boolean ok() {
            return cells.stream().allMatch(Cell::ok);
        }

        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "| %-22s | %-17s | %6s | %9s | %9s | %9s | %15s | %12s | %8s | %s |%n", "flow", "fault",
                    "trials", "completed", "recovered", "rows lost", "rows duplicated", "rows altered", "balanced", "notes"));
            b.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (Cell c : cells) {
                String notes;
                if (c.notRun() != null) {
                    notes = "NOT RUN: " + c.notRun();
                } else {
                    List<String> n = new ArrayList<>();
                    if (c.fault() != Fault.NONE && c.fault() != Fault.TWO_PROCESSES) {
                        n.add("fault hit a run in flight " + c.faultInFlight() + "/" + c.trials());
                    }
                    if (c.leftRunning() > 0) {
                        n.add(c.leftRunning() + " run(s) left 'running'");
                    }
                    n.addAll(c.problems());
                    notes = String.join("; ", n);
                }
                b.append(String.format(Locale.ROOT, "| %-22s | %-17s | %6d | %9d | %9d | %9d | %15d | %12d | %8s | %s |%n", c.flow(),
                        c.fault(), c.trials(), c.completed(), c.recovered(), c.lost(), c.duplicated(), c.altered(),
                        c.balanced() + "/" + c.trials(), notes));
            }
            return b.toString();
        }
    }

    private final List<ReliabilityFlow> flows;
    private final Options options;

    public ReliabilitySuite(List<ReliabilityFlow> flows, Options options) {
        this.flows = flows;
        this.options = options;
    }

    /** Runs every cell, printing each trial as it ends and the table last. */
    public Result run() throws Exception {
        System.out.printf("Reliability suite, seed %d (rerun a trial with --seed %d), trials in %s%n", options.seed(), options.seed(),
                options.workRoot());
        Files.createDirectories(options.workRoot());
        List<Cell> cells = new ArrayList<>();
        try (PrivateCluster cluster = PrivateCluster.start(options.port());
             TcpProxy proxy = new TcpProxy("127.0.0.1", cluster.port()).start()) {
            System.out.printf("Private PostgreSQL cluster in %s on port %d (the fault proxy listens on %d)%n", cluster.folder(),
                    cluster.port(), proxy.port());
            // Ctrl-C of the suite must not leave a PostgreSQL of its own running
            Thread stopCluster = new Thread(cluster::close, "reliability-cluster-stop");
            Runtime.getRuntime().addShutdownHook(stopCluster);
            Trials trials = new Trials(cluster, proxy, options);
            for (ReliabilityFlow flow : flows) {
                if (!options.flows().isEmpty() && !options.flows().contains(flow.name()) && !options.flows().contains(shortName(flow))) {
                    continue;
                }
                cells.addAll(runFlow(trials, flow));
            }
            Runtime.getRuntime().removeShutdownHook(stopCluster);
        }
        Result result = new Result(options.seed(), cells, options.workRoot());
        System.out.println();
        System.out.print(result.table());
        System.out.println(result.ok() ? "Every cell: nothing lost, duplicated or altered, and the counts add up."
                : "FAILED: see the notes and the trial folders named in them.");
        return result;
    }

    /** The flow's name without spaces, for --flows: "inbox trades-history" is also "inbox-trades-history". */
    static String shortName(ReliabilityFlow flow) {
        return flow.name().replace(' ', '-');
    }

    private List<Cell> runFlow(Trials trials, ReliabilityFlow flow) throws Exception {
        List<Cell> cells = new ArrayList<>();
        Set<Fault> faults = new LinkedHashSet<>();
        for (Fault f : Fault.values()) {
            if (f != Fault.NONE && flow.faults().contains(f) && (options.faults().isEmpty() || options.faults().contains(f))) {
                faults.add(f);
            }
        }
        System.out.printf("%n== %s: reference run, then %s%n", flow.name(), faults);
        Trials.Run reference = trials.run(flow, Fault.NONE, 0, null);
        System.out.println(reference.summary());
        if (!reference.completed() || !reference.outcome().balanced() || reference.leftRunning() > 0) {
            Cell failed = new Cell(flow.name(), Fault.NONE, 1, reference.completed() ? 1 : 0, 0, 0, 0, 0,
                    reference.outcome() != null && reference.outcome().balanced() ? 1 : 0, reference.leftRunning(), 0, null,
                    List.of("the clean reference run failed, see " + reference.trial().workDir()));
            cells.add(failed);
            return cells;
        }
        Map<Fault, List<Trials.Run>> byFault = new EnumMap<>(Fault.class);
        for (Fault fault : faults) {
            int n = options.trials() > 0 ? options.trials() : defaultTrials(fault);
            List<Trials.Run> runs = new ArrayList<>();
            String notRun = null;
            for (int i = 1; i <= n && notRun == null; i++) {
                Trials.Run r = trials.run(flow, fault, i, reference);
                System.out.println(r.summary());
                if (r.notRun() != null) {
                    notRun = r.notRun();
                } else {
                    runs.add(r);
                }
            }
            byFault.put(fault, runs);
            cells.add(notRun != null ? new Cell(flow.name(), fault, 0, 0, 0, 0, 0, 0, 0, 0, 0, notRun, List.of()) : cell(flow, fault, runs));
        }
        return cells;
    }

    private static Cell cell(ReliabilityFlow flow, Fault fault, List<Trials.Run> runs) {
        int completed = 0;
        int recovered = 0;
        int balanced = 0;
        int running = 0;
        int inFlight = 0;
        long lost = 0;
        long dup = 0;
        long altered = 0;
        List<String> problems = new ArrayList<>();
        for (Trials.Run r : runs) {
            completed += r.completed() ? 1 : 0;
            recovered += r.recovered() ? 1 : 0;
            balanced += r.outcome() != null && r.outcome().balanced() ? 1 : 0;
            running += r.leftRunning();
            inFlight += r.faultInFlight() ? 1 : 0;
            if (r.diff() != null) {
                lost += r.diff().lost();
                dup += r.diff().duplicated();
                altered += r.diff().altered();
            }
            if (!r.recovered()) {
                problems.add("trial " + r.number() + " (" + r.trial().workDir() + "): " + String.join(", ", r.problems()));
            } else {
                problems.addAll(r.notes());
            }
        }
        return new Cell(flow.name(), fault, runs.size(), completed, recovered, lost, dup, altered, balanced, running, inFlight, null,
                List.copyOf(new LinkedHashSet<>(problems)));
    }

    /** Rows lost, duplicated and altered of one trial against the reference, and the tables where they are. */
    public record Diff(long lost, long duplicated, long altered, List<String> tables) {
        public boolean none() {
            return lost == 0 && duplicated == 0 && altered == 0;
        }
    }

    /**
     * Per table: with the row multisets, a row of the reference missing from the trial is lost, a row the
     * trial has more often than the reference is duplicated, and a missing row matched by a row the reference
     * has not at all is one altered row (the rest of those unmatched rows count as duplicated: extra rows).
     * Without multisets: fewer rows are lost rows, more are duplicated ones, and the same count with another
     * digest is at least one altered row, counted as 1.
     */
    public static Diff compare(Outcome reference, Outcome trial) {
        long lost = 0;
        long dup = 0;
        long altered = 0;
        List<String> tables = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(reference.rows().keySet());
        names.addAll(trial.rows().keySet());
        for (String t : names) {
            long refRows = reference.rows().getOrDefault(t, 0L);
            long gotRows = trial.rows().getOrDefault(t, 0L);
            Map<String, Long> refH = reference.rowHashes().get(t);
            Map<String, Long> gotH = trial.rowHashes().get(t);
            long l;
            long d;
            long a;
            if (refH != null && gotH != null) {
                long missing = 0;
                long extraOfRef = 0;
                long foreign = 0;
                for (Map.Entry<String, Long> e : refH.entrySet()) {
                    long got = gotH.getOrDefault(e.getKey(), 0L);
                    missing += Math.max(0, e.getValue() - got);
                    extraOfRef += Math.max(0, got - e.getValue());
                }
                for (Map.Entry<String, Long> e : gotH.entrySet()) {
                    if (!refH.containsKey(e.getKey())) {
                        foreign += e.getValue();
                    }
                }
                a = Math.min(missing, foreign);
                l = missing - a;
                d = extraOfRef + foreign - a;
            } else {
                l = Math.max(0, refRows - gotRows);
                d = Math.max(0, gotRows - refRows);
                a = refRows == gotRows && !String.valueOf(reference.digests().get(t)).equals(String.valueOf(trial.digests().get(t))) ? 1 : 0;
            }
            if (l + d + a > 0) {
                tables.add(t + " (" + l + " lost, " + d + " duplicated, " + a + " altered)");
            }
            lost += l;
            dup += d;
            altered += a;
        }
        return new Diff(lost, dup, altered, tables);
    }

    /** The seed of one trial, from the suite's seed, so one trial can be rerun alone. */
    static long trialSeed(long suiteSeed, ReliabilityFlow flow, Fault fault, int number) {
        return new Random(suiteSeed ^ ((long) flow.name().hashCode() << 20) ^ ((long) fault.ordinal() << 8) ^ number).nextLong() & Long.MAX_VALUE;
    }

    /** Ferry's runs left 'running' in the trial's database (none after a recovery), 0 where Ferry has no ledger there. */
    static int leftRunning(PrivateCluster cluster, String database) throws SQLException {
        try (Connection c = cluster.connect(database); Statement st = c.createStatement()) {
            if (!TargetRows.exists(c, "ferry.runs")) {
                return 0;
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ferry.runs WHERE status = 'running'")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Keeps a passing trial's logs, drops its inputs and outputs (generated files of tens of MB). */
    static void prune(Path workDir) {
        Path logs = workDir.resolve("logs");
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.startsWith(logs) && !p.equals(workDir))
                    .forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not prune " + workDir + ": " + e.getMessage());
        }
    }

    static Map<String, String> env(PrivateCluster cluster, TcpProxy proxy, String database, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FERRY_DB_URL", proxy.jdbcUrl(database));
        env.put("FERRY_DB_USER", PrivateCluster.ROLE);
        env.put("FERRY_DB_PASSWORD", cluster.password());
        env.put("FERRY_REPORTS", workDir.resolve("reports").toString());
        env.put("FERRY_INBOX", workDir.resolve("inbox").toString());
        env.put("FERRY_DONE", workDir.resolve("done").toString());
        env.put("FERRY_ERROR", workDir.resolve("error").toString());
        env.put("FERRY_SQLITE_SNAPSHOT_DIR", workDir.resolve("tmp").toString());
        env.put("FERRY_INBOX_WRITE_COMPLETE_MS", "500");
        env.put("FERRY_BATCH_PROGRESS_EVERY", "5000");
        return env;
    }
}
