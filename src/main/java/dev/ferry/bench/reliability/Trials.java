package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Runs one trial of one cell: database, folder, prepare, the faulted run, the recovery, the comparison. */
final class Trials {

    /** A one-shot run or a service's wait for its input that takes longer is cut off and reported. */
    private static final long RUN_TIMEOUT_MS = 300_000;
    /** Longer than this from SIGTERM to exit is a defect: a stop must not wait out Camel's 120 s timeout. */
    private static final double STOP_LIMIT_S = 60;
    private static final int RECOVERY_ATTEMPTS = 3;

    /**
     * What one trial ended with.
     *
     * @param firstSeconds how long the first run took from its start to the end of its input (the reference's
     *                     sets the range kill-by-time picks its moment from)
     */
    record Run(Trial trial, ReliabilityFlow flow, Fault fault, int number, boolean completed, boolean recovered, Outcome outcome,
               ReliabilitySuite.Diff diff, int leftRunning, boolean faultInFlight, double firstSeconds, int firstExit,
               String notRun, List<String> problems, List<String> notes) {

        String summary() {
            String head = String.format(Locale.ROOT, "  %-22s %-17s #%-2d seed %-19d", flow.name(), fault, number, trial.seed());
            if (notRun != null) {
                return head + " NOT RUN: " + notRun;
            }
            String counts = outcome == null ? "no outcome" : String.format(Locale.ROOT, "rows %s, read %d = loaded %d + dup %d + rejected %d + other %d%s",
                    outcome.rows(), outcome.read(), outcome.loaded(), outcome.duplicates(), outcome.rejected(), outcome.other(),
                    outcome.balanced() ? "" : " UNBALANCED");
            return head + (recovered ? " ok " : " FAILED ") + String.format(Locale.ROOT, "%.1f s; ", firstSeconds) + counts
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                    + (problems.isEmpty() ? "" : "; " + String.join("; ", problems) + " (" + trial.workDir() + ")");
        }
    }

    private final PrivateCluster cluster;
    private final TcpProxy proxy;
    private final ReliabilitySuite.Options options;

    Trials(PrivateCluster cluster, TcpProxy proxy, ReliabilitySuite.Options options) {
        this.cluster = cluster;
        this.proxy = proxy;
        this.options = options;
    }

    Run run(ReliabilityFlow flow, Fault fault, int number, Run reference) throws Exception {
        String name = ReliabilitySuite.shortName(flow);
        String database = ("rel_" + name + "_" + fault + "_" + number).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        Path dir = options.workRoot().resolve(name).resolve(fault.name().toLowerCase(Locale.ROOT) + "-" + number);
        PrivateCluster.deleteTree(dir);
        for (String sub : List.of("logs", "tmp", "reports", "inbox", "done", "error")) {
            Files.createDirectories(dir.resolve(sub));
        }
        cluster.createDatabase(database);
        long seed = ReliabilitySuite.trialSeed(options.seed(), flow, fault, number);
        Trial trial = new Trial(dir, database, proxy.jdbcUrl(database), cluster.url(database) + "?user=postgres", dir.resolve("reports"),
                ReliabilitySuite.env(cluster, proxy, database, dir), seed);
        Attempt a = new Attempt(flow, fault, number, trial, reference, new Random(seed));
        try {
            return a.run();
        } catch (Exception e) {
            // the harness's own failure (a query, a file): this trial fails and says why, the suite goes on
            return new Run(trial, flow, fault, number, false, false, null, null, 0, false, 0, -1, null,
                    List.of("the trial could not be carried out: " + e), List.of());
        } finally {
            a.cleanUp();
            cluster.dropDatabase(database);
        }
    }

    /** The state of one trial while it runs. */
    private final class Attempt {
        private final ReliabilityFlow flow;
        private final Fault fault;
        private final int number;
        private final Trial trial;
        private final Run reference;
        private final Random rnd;
        private final List<FerryChild> children = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private FolderFault folderFault;
        private double firstSeconds;

        Attempt(ReliabilityFlow flow, Fault fault, int number, Trial trial, Run reference, Random rnd) {
            this.flow = flow;
            this.fault = fault;
            this.number = number;
            this.trial = trial;
            this.reference = reference;
            this.rnd = rnd;
        }

        Run run() throws Exception {
            flow.prepare(trial);
            if (fault == Fault.REPORTS_FULL || fault == Fault.REPORTS_READ_ONLY) {
                try {
                    folderFault = FolderFault.apply(fault, trial.reportsDir());
                } catch (FolderFault.Unavailable e) {
                    return new Run(trial, flow, fault, number, false, false, null, null, 0, false, 0, 0, e.getMessage(), List.of(), List.of());
                }
            }
            List<FerryChild> first = new ArrayList<>();
            first.add(start("run", flow.start(trial)));
            if (fault == Fault.TWO_PROCESSES) {
                first.add(start("run-second", flow.start(trial)));
            }
            boolean inFlight = fault == Fault.NONE || fault == Fault.TWO_PROCESSES || folderFault != null;
            switch (fault) {
                case KILL_9, SIGTERM, PG_RESTART, PG_UNREACHABLE -> inFlight = awaitPointThenInject(first.get(0));
                default -> {
                    // the fault is there from the start (a second process, a refusing folder), or there is none
                }
            }
            boolean firstOk = finish(first);
            int firstExit = first.get(0).alive() ? -1 : first.get(0).exitCode();
            if (folderFault != null) {
                folderFault.close(); // the operator frees the folder; the recovery runs on a writable one
                folderFault = null;
            }
            boolean completed = firstOk || recover();
            Outcome outcome = flow.outcome(trial);
            int running = ReliabilitySuite.leftRunning(cluster, trial.database());
            ReliabilitySuite.Diff diff = null;
            boolean recovered;
            if (reference == null) {
                recovered = completed && outcome.balanced() && running == 0 && problems.isEmpty();
            } else {
                diff = ReliabilitySuite.compare(reference.outcome(), outcome);
                if (!diff.none()) {
                    problems.add("differs from the clean run: " + String.join(", ", diff.tables()));
                }
                if (!outcome.balanced()) {
                    problems.add("read " + outcome.read() + " != loaded + duplicates + rejected + other");
                }
                if (running > 0) {
                    problems.add(running + " run(s) left 'running'");
                }
                if (!completed) {
                    problems.add("not done after " + RECOVERY_ATTEMPTS + " recoveries, see " + trial.logDir());
                }
                recovered = completed && diff.none() && outcome.balanced() && running == 0 && problems.isEmpty();
            }
            if (recovered && reference != null) {
                ReliabilitySuite.prune(trial.workDir());
            }
            return new Run(trial, flow, fault, number, completed, recovered, outcome, diff, running, inFlight, firstSeconds, firstExit,
                    null, List.copyOf(problems), List.copyOf(notes));
        }

        /**
         * Waits for the trial's moment, then injects the fault; false when the run ended before it. Kill -9
         * alternates between a moment of time (a share of the clean run's duration) and a point of progress;
         * the other faults land at a point of progress.
         */
        private boolean awaitPointThenInject(FerryChild run) throws Exception {
            boolean byTime = fault == Fault.KILL_9 && number % 2 == 0 && reference != null;
            double share = 0.1 + 0.8 * rnd.nextDouble();
            long deadline = System.nanoTime() + RUN_TIMEOUT_MS * 1_000_000;
            if (byTime) {
                long at = (long) (share * reference.firstSeconds() * 1000);
                notes.add(String.format(Locale.ROOT, "kill at %.1f s", at / 1000.0));
                while (run.seconds() * 1000 < at && stillWorking(run)) {
                    Thread.sleep(20);
                }
            } else {
                notes.add(String.format(Locale.ROOT, "%s at %.0f%%", fault.name().toLowerCase(Locale.ROOT), share * 100));
                while (stillWorking(run) && flow.progress(trial) < share && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            if (!stillWorking(run)) {
                notes.add("the run ended before the fault");
                return false;
            }
            switch (fault) {
                case KILL_9 -> {
                    for (FerryChild c : children) {
                        c.kill();
                    }
                }
                case SIGTERM -> {
                    run.term();
                    long t0 = System.nanoTime();
                    if (!run.await((long) (STOP_LIMIT_S * 2.5 * 1000))) {
                        problems.add("still running " + (int) (STOP_LIMIT_S * 2.5) + " s after SIGTERM (killed)");
                        run.kill();
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    notes.add(String.format(Locale.ROOT, "stopped %.1f s after SIGTERM", s));
                    if (s > STOP_LIMIT_S) {
                        problems.add(String.format(Locale.ROOT, "took %.0f s to stop after SIGTERM", s));
                    }
                }
                case PG_RESTART -> cluster.restart();
                case PG_UNREACHABLE -> {
                    proxy.stall();
                    try {
                        Thread.sleep(options.stall().toMillis());
                    } finally {
                        proxy.resume();
                    }
                }
                default -> throw new IllegalStateException(fault + " has no moment");
            }
            return true;
        }

        /** The run has its input still to do: a one-shot job alive, a service alive and not done. */
        private boolean stillWorking(FerryChild run) throws Exception {
            return run.alive() && (!flow.service() || !flow.done(trial));
        }

        /** Lets the faulted processes end (a service: until its input is done, then SIGTERM); true when that went well. */
        private boolean finish(List<FerryChild> procs) throws Exception {
            long t0 = System.nanoTime();
            boolean ok = true;
            if (flow.service()) {
                long limit = serviceWait();
                while (procs.stream().anyMatch(FerryChild::alive) && !flow.done(trial) && (System.nanoTime() - t0) / 1_000_000 < limit) {
                    Thread.sleep(50);
                }
                ok = flow.done(trial) && procs.stream().allMatch(FerryChild::alive);
                firstSeconds = procs.get(0).seconds();
                if (!flow.done(trial) && procs.stream().anyMatch(FerryChild::alive)) {
                    // PostgreSQL back, a second process, a refusing reports folder: none of them may stop the input being handled
                    problems.add(String.format(Locale.ROOT, "the service had not handled its input %.0f s into the trial, see %s",
                            firstSeconds, procs.get(0).log()));
                }
                stop(procs);
                return ok;
            }
            for (FerryChild p : procs) {
                if (!p.await(RUN_TIMEOUT_MS)) {
                    problems.add(p.command() + " did not end in " + RUN_TIMEOUT_MS / 1000 + " s (killed), see " + p.log());
                    p.kill();
                    ok = false;
                }
            }
            firstSeconds = procs.get(0).seconds();
            int expected = reference == null ? 0 : reference.firstExit();
            for (FerryChild p : procs) {
                ok &= !p.alive() && (p.exitCode() == 0 || p.exitCode() == expected);
            }
            return ok;
        }

        /** How long a service is given for its input: the clean run's time four times over and a minute, or the run timeout. */
        private long serviceWait() {
            if (reference == null) {
                return RUN_TIMEOUT_MS;
            }
            return Math.min(RUN_TIMEOUT_MS, (long) (reference.firstSeconds() * 4000) + 60_000 + options.stall().toMillis());
        }

        /** SIGTERM to each service still alive, timed: a stop that needs Camel's whole shutdown timeout is a defect. */
        private void stop(List<FerryChild> procs) throws InterruptedException {
            for (FerryChild p : procs) {
                if (!p.alive()) {
                    continue;
                }
                long t0 = System.nanoTime();
                p.term();
                if (!p.await((long) (STOP_LIMIT_S * 2.5 * 1000))) {
                    problems.add(p.command() + " still running " + (int) (STOP_LIMIT_S * 2.5) + " s after SIGTERM (killed), see " + p.log());
                    p.kill();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (s > STOP_LIMIT_S) {
                    problems.add(String.format(Locale.ROOT, "%s took %.0f s to stop after SIGTERM", p.command(), s));
                }
            }
        }

        /** Runs the flow's recovery until it is done; true when it got there. */
        private boolean recover() throws Exception {
            for (int i = 1; i <= RECOVERY_ATTEMPTS; i++) {
                FerryChild r = start("recover", flow.recover(trial));
                if (flow.service()) {
                    long t0 = System.nanoTime();
                    while (r.alive() && !flow.done(trial) && (System.nanoTime() - t0) / 1_000_000 < serviceWait()) {
                        Thread.sleep(50);
                    }
                    boolean done = flow.done(trial) && r.alive();
                    stop(List.of(r));
                    if (done) {
                        return true;
                    }
                } else {
                    if (!r.await(RUN_TIMEOUT_MS)) {
                        problems.add(r.command() + " did not end in " + RUN_TIMEOUT_MS / 1000 + " s (killed)");
                        r.kill();
                        continue;
                    }
                    int expected = reference == null ? 0 : reference.firstExit();
                    if (r.exitCode() == 0 || r.exitCode() == expected) {
                        return true;
                    }
                    notes.add("recovery " + i + " exited " + r.exitCode());
                }
            }
            return false;
        }

        private FerryChild start(String role, List<String> args) throws Exception {
            FerryChild c = FerryChild.start(trial, flow.env(trial), role, args);
            children.add(c);
            return c;
        }

        void cleanUp() {
            proxy.resume();
            for (FerryChild c : children) {
                try {
                    if (c.alive()) {
                        c.kill();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (folderFault != null) {
                folderFault.close();
            }
        }
    }
}
