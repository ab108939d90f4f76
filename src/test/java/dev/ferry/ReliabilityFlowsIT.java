package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.ferry.bench.reliability.Fault;
import dev.ferry.bench.reliability.Outcome;
import dev.ferry.bench.reliability.PortfolioFlow;
import dev.ferry.bench.reliability.PortfolioRollbackFlow;
import dev.ferry.bench.reliability.ReliabilityFlow;
import dev.ferry.bench.reliability.SchemaFlow;
import dev.ferry.bench.reliability.Trial;
import dev.ferry.bench.reliability.V2Flow;
import dev.ferry.bench.reliability.V2SyncFlow;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A small driver of the reliability flows, in the harness's place: per flow a clean trial, a kill -9 once the
 * flow's own progress passed 0.3, and a SIGTERM at the same point, each fault followed by the flow's recover command.
 * What must hold: the target ends with the clean trial's rows and digests, and the counts add up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilityFlowsIT {

    private static final double FAULT_AT = 0.3;

    private Path work;
    private final List<TestDatabase> databases = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        work = Files.createTempDirectory("ferry-reliability-");
    }

    @AfterAll
    void tearDown() throws Exception {
        for (TestDatabase d : databases) {
            dropBeside(d, "_v2");
            d.close();
        }
    }

    static Stream<ReliabilityFlow> flows() {
        // -Dferry.reliability.flow=Schema runs only the flows whose class name holds it
        String only = System.getProperty("ferry.reliability.flow", "");
        return Stream.<ReliabilityFlow>of(new V2Flow(), new V2SyncFlow(), new SchemaFlow(), new PortfolioFlow(), new PortfolioRollbackFlow())
                .filter(f -> f.getClass().getSimpleName().contains(only));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKillAndASigtermMidRunThenRecoverGiveTheCleanTrialsTarget(ReliabilityFlow flow) throws Exception {
        Trial clean = trial(flow, Fault.NONE);
        flow.prepare(clean);
        FerryProcess.Result cleanRun = FerryProcess.run(clean.workDir().resolve("start"), clean.env(), 600, args(flow.start(clean)));
        assertThat(cleanRun.exitCode()).as(cleanRun.all()).isZero();
        assertThat(flow.progress(clean)).as("progress after a clean run").isGreaterThanOrEqualTo(0.9);
        Outcome reference = flow.outcome(clean);
        assertThat(reference.balanced()).as("clean trial balanced: " + reference).isTrue();
        assertThat(reference.digests().values()).as("clean trial: the check Ferry runs after it passes").noneMatch(v -> v.startsWith("exit 1"));

        for (Fault fault : List.of(Fault.KILL_9, Fault.SIGTERM)) {
            assertThat(flow.faults()).contains(fault);
            Trial t = trial(flow, fault);
            flow.prepare(t);
            Process p = FerryProcess.start(t.workDir().resolve("start"), t.env(), List.of(), args(flow.start(t)));
            double at = waitForProgress(flow, t, p);
            if (fault == Fault.KILL_9) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(flow.name() + ": ended within 60 s of " + fault).isTrue();
            FerryProcess.Result recover = FerryProcess.run(t.workDir().resolve("recover"), t.env(), 600, args(flow.recover(t)));
            assertThat(recover.exitCode()).as(flow.name() + " " + fault + " at progress " + at + " (exit " + p.exitValue()
                    + "), then recover:\n" + recover.all()).isZero();
            Outcome o = flow.outcome(t);
            assertThat(o.digests()).as(flow.name() + " " + fault + " at progress " + at + ": digests against the clean trial's")
                    .isEqualTo(reference.digests());
            assertThat(o.rows()).isEqualTo(reference.rows());
            assertThat(o.balanced()).as(flow.name() + " " + fault + " balanced: " + o).isTrue();
            System.out.printf("reliability trial: %s, %s at progress %.2f (exit %d), recover exit %d, read %d = loaded %d + duplicates %d"
                    + " + rejected %d + other %d, rows %s%n", flow.name(), fault, at, p.exitValue(), recover.exitCode(), o.read(), o.loaded(),
                    o.duplicates(), o.rejected(), o.other(), o.rows());
        }
    }

    /** Waits until the run passed {@link #FAULT_AT} of its work; a run that ended first made the trial pointless. */
    private static double waitForProgress(ReliabilityFlow flow, Trial t, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            double progress = progressOrZero(flow, t);
            if (progress >= FAULT_AT) {
                if (progress >= 1.0) {
                    fail(flow.name() + ": progress was already 1.0 when first seen past " + FAULT_AT + "; the run is too short to hit");
                }
                return progress;
            }
            if (!p.isAlive()) {
                fail(flow.name() + " ended (exit " + p.exitValue() + ") at progress " + progress + " before the fault:\n"
                        + Files.readString(t.workDir().resolve("start/stdout.txt")) + Files.readString(t.workDir().resolve("start/stderr.txt")));
            }
            if (System.nanoTime() > deadline) {
                fail(flow.name() + ": progress " + progress + " after 5 minutes");
            }
            Thread.sleep(25);
        }
    }

    /** Before the run created what progress reads (a schema, a table), there is no progress yet. */
    private static double progressOrZero(ReliabilityFlow flow, Trial t) {
        try {
            return flow.progress(t);
        } catch (Exception e) {
            return 0;
        }
    }

    private Trial trial(ReliabilityFlow flow, Fault fault) throws Exception {
        String key = flow.getClass().getSimpleName() + "_" + fault.name();
        TestDatabase db = new TestDatabase(getClass(), key);
        databases.add(db);
        Path dir = work.resolve(key.toLowerCase(Locale.ROOT));
        Files.createDirectories(dir);
        Path reports = dir.resolve("reports");
        Map<String, String> env = Map.of("FERRY_DB_URL", db.url(), "FERRY_DB_USER", TestDatabase.USER, "FERRY_REPORTS", reports.toString());
        return new Trial(dir, db.name(), db.url(), db.url(), reports, env, 1);
    }

    private static String[] args(List<String> args) {
        return args.toArray(String[]::new);
    }

    private static void dropBeside(TestDatabase d, String suffix) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER, "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + d.name() + suffix + " WITH (FORCE)");
        }
    }
}
