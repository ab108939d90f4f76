package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 in the middle of a large file, as a power cut or the OOM killer would do
 * it, then a restart: the service as users run it (the shaded jar, child processes),
 * the real PostgreSQL. What must hold: the killed run leaves no row behind, the file
 * stays in the inbox, the restart loads it once, and the result is exactly what a
 * run that was never interrupted produces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final int TRADES = 300_000;
    // every trade gives a buy order, every odd one (closed) a sell order too, plus the file's one failed order
    private static final long EXPECTED_ORDERS = TRADES + TRADES / 2 + 1;
    // every trade's buy is filled, every closed trade's sell too; the failed order has no fill
    private static final long EXPECTED_FILLS = TRADES + TRADES / 2;
    // the slow part is PostgreSQL: ~3 minutes for 1M trades on the CI machine
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

    /** Names the second database, the one the clean import goes to. */
    private static final class CrashRecoveryITCleanImport {
    }

    private final List<Process> children = new ArrayList<>();
    private Path jar;
    private Path work;
    private Path source;
    private TestDatabase db;
    private TestDatabase clean;

    @BeforeAll
    void setUp() throws IOException {
        jar = Path.of(System.getProperty("ferry.jar", "target/ferry.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded jar (mvn package builds it; failsafe passes its path as ferry.jar)").isRegularFile();
        work = Files.createTempDirectory("ferry-crash-");
        // generated next to the inbox, so moving it in is one rename: Ferry never sees a half-written file
        source = new TradesHistoryGenerator().trades(TRADES).seed(3).write(work.resolve("files/trades_history.json"));
        db = new TestDatabase(getClass());
        clean = new TestDatabase(CrashRecoveryITCleanImport.class);
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
        }
        for (Process p : children) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (db != null) {
            db.close();
        }
        if (clean != null) {
            clean.close();
        }
        // the generated file is ~90 MB; a failure message already carries the log that matters
        deleteTree(work);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aRunKilledMidFileLeavesNothingAndTheRestartLoadsTheFileExactlyOnce() throws Exception {
        Path inboxFile = work.resolve("inbox/user_1/trades_history.json");
        Path doneFile = work.resolve("done/user_1/trades_history.json");

        // ---- first service: killed with SIGKILL while the file is half read
        Path log1 = work.resolve("serve-1.log");
        Process first = serve(log1);
        await("the schema to exist", START_TIMEOUT, first, log1, () -> tableExists("trading.users"));
        db.execute("INSERT INTO trading.users (id) VALUES (1)");
        Files.createDirectories(inboxFile.getParent());
        Files.move(source, inboxFile, StandardCopyOption.ATOMIC_MOVE);

        await("a progress line (the run is mid-file)", LOAD_TIMEOUT, first, log1, () -> read(log1).contains("records read"));
        assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running'")).as("runs in flight before the kill").isEqualTo(1);
        long killedRun = db.count("SELECT id FROM ferry.runs WHERE status = 'running'");

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the killed process ended").isTrue();
        assertThat(first.exitValue()).as("exit code 128 + SIGKILL(9): no shutdown hook ran, nothing was drained").isEqualTo(137);

        assertThat(db.count("SELECT count(*) FROM trading.orders")).as("orders after the kill").isZero();
        assertThat(db.count("SELECT count(*) FROM trading.fills")).as("fills after the kill").isZero();
        assertThat(db.count("SELECT count(*) FROM ferry.processed_files")).as("files recorded as loaded after the kill").isZero();
        assertThat(inboxFile).as("the file waits in the inbox for the next start").isRegularFile();
        assertThat(doneFile).doesNotExist();

        // ---- second service on the same database and folders: picks the file up again
        Path log2 = work.resolve("serve-2.log");
        Process second = serve(log2);
        await("the file to reach the done folder", LOAD_TIMEOUT, second, log2, () -> Files.isRegularFile(doneFile));
        assertThat(inboxFile).as("the file left the inbox").doesNotExist();
        stop(second);

        // ---- the same file, loaded by the CLI into a second fresh database, never interrupted
        assertThat(cli(work.resolve("clean-schema.log"), clean, "schema", "migrate", "--project", "ferry")).as("exit code of ferry schema migrate --project ferry").isZero();
        clean.execute("INSERT INTO trading.users (id) VALUES (1)");
        assertThat(cli(work.resolve("clean-import.log"), clean, "import", "trades-history", doneFile.toString(), "--user-id", "1"))
                .as("exit code of ferry import on the clean database").isZero();

        assertThat(clean.count("SELECT count(*) FROM trading.orders")).as("orders of the clean import").isEqualTo(EXPECTED_ORDERS);
        assertThat(clean.count("SELECT count(*) FROM trading.fills")).as("fills of the clean import").isEqualTo(EXPECTED_FILLS);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).as("orders after the restart").isEqualTo(EXPECTED_ORDERS);
        assertThat(db.count("SELECT count(*) FROM trading.fills")).as("fills after the restart").isEqualTo(EXPECTED_FILLS);
        assertThat(db.contentDigest()).as("content after kill + restart vs. a clean import").isEqualTo(clean.contentDigest());

        assertThat(db.text("SELECT string_agg(status, ',' ORDER BY id) FROM ferry.runs"))
                .as("runs: the killed one closed out as aborted, then one completed").isEqualTo("aborted,completed");
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + killedRun)).isEqualTo("aborted");
        assertThat(db.count("SELECT count(*) FROM ferry.processed_files f JOIN ferry.runs r ON r.id = f.run_id WHERE r.status = 'completed'"))
                .as("the file is recorded as loaded, by the completed run").isEqualTo(1);
    }

    /** {@code java -jar ferry.jar serve} on the test's database and folders; its log (stderr) goes to the given file. */
    private Process serve(Path log) throws IOException {
        Map<String, String> settings = settings(db);
        settings.put("ferry.inbox", work.resolve("inbox").toString());
        settings.put("ferry.done", work.resolve("done").toString());
        settings.put("ferry.error", work.resolve("error").toString());
        settings.put("ferry.inbox.poll-ms", "200");
        settings.put("ferry.inbox.write-complete-ms", "500");
        settings.put("ferry.batch.progress-every", "20000");
        return start(log, settings, "serve");
    }

    /** Runs a one-shot CLI command to its end and returns its exit code. */
    private int cli(Path log, TestDatabase target, String... args) throws Exception {
        Process p = start(log, settings(target), args);
        if (!p.waitFor(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("ferry " + String.join(" ", args) + " did not finish within " + LOAD_TIMEOUT + "; log:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            System.err.println("ferry " + String.join(" ", args) + " exited " + p.exitValue() + "; log:\n" + tail(log));
        }
        return p.exitValue();
    }

    private Map<String, String> settings(TestDatabase target) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("ferry.db.url", target.url());
        s.put("ferry.db.user", TestDatabase.USER);
        s.put("ferry.reports", work.resolve("reports-" + target.name()).toString());
        return s;
    }

    private Process start(Path log, Map<String, String> settings, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        // outside the project folder, so the config and routes are the ones inside the jar, as shipped
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // FERRY_* variables beat -D settings in Ferry; one left in the developer's shell would point the child elsewhere
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** SIGTERM, the way an operator stops the service; Camel finishes before exiting. */
    private void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
    }

    private boolean tableExists(String table) {
        try {
            return db.text("SELECT to_regclass('" + table + "')::text") != null;
        } catch (IllegalStateException e) {
            return false; // the database is being created or migrated
        }
    }

    private static void await(String what, Duration timeout, Process owner, Path log, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!owner.isAlive()) {
                fail("ferry exited (code " + owner.exitValue() + ") while waiting for " + what + "; log:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + timeout + "; log:\n" + tail(log));
            }
            Thread.sleep(100);
        }
    }

    private static String read(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    private static String tail(Path log) {
        String all = read(log);
        return all.length() <= 6_000 ? all : "..." + all.substring(all.length() - 6_000);
    }
}
