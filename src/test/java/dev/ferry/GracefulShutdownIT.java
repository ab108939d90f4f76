package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while a file is loading, as docker stop or systemd sends it: the run either ends within
 * the grace period (ferry.shutdown.grace-ms) or is stopped and rolled back, and the process exits
 * in seconds either way; nothing is left half-written, no run stays 'running', and a stopped
 * file stays in the inbox and loads whole at the next start; a stopped SQLite migration keeps its
 * committed batches and the next start resumes it.
 */
class GracefulShutdownIT {

    /** The generator writes one open and one closed order per two trades, plus one failed order. */
    private static long orders(int trades) {
        return trades * 3L / 2 + 1;
    }

    @Test
    void aRunStillGoingAfterTheGracePeriodRollsBackAndTheFileLoadsAtTheNextStart() throws Exception {
        try (TestDatabase db = new TestDatabase(GracefulShutdownIT.class, "abort")) {
            Path work = Files.createTempDirectory("ferry-sigterm-");
            int trades = 150_000; // about 10 s of loading on this machine: far longer than the grace period
            Path file = new TradesHistoryGenerator().trades(trades).seed(5).write(work.resolve("trades_history.json"));
            Map<String, String> env = env(db, work, "1000");
            Process p = startWithUser(db, work, "proc", env);
            Path target = drop(work, file);
            try {
                waitFor(() -> Files.readString(work.resolve("proc/stderr.txt")).contains("records read"), 120);

                long exitMillis = sigtermAndWait(p);

                assertThat(exitMillis).as("SIGTERM to exit, ms (the grace period is 1,000 ms)").isLessThan(10_000);
                assertThat(db.text("SELECT string_agg(status, ',') FROM ferry.runs")).isEqualTo("aborted");
                assertThat(db.text("SELECT message FROM ferry.runs")).contains("SIGTERM", "nothing it wrote was kept");
                assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
                assertThat(db.count("SELECT count(*) FROM trading.fills")).isZero();
                assertThat(db.count("SELECT count(*) FROM ferry.processed_files")).isZero();
                assertThat(target).as("left in the inbox for the next start").exists();
                assertThat(work.resolve("done/user_1/trades_history.json")).doesNotExist();
                assertThat(work.resolve("error/user_1")).doesNotExist();
                assertThat(Files.readString(work.resolve("proc/stderr.txt"))).doesNotContain("Forced stopped", "Timeout occurred");
            } finally {
                p.destroyForcibly();
            }

            Process again = FerryProcess.start(work.resolve("proc2"), env, List.of("-Xmx512m"), "serve");
            try {
                waitFor(() -> Files.exists(work.resolve("done/user_1/trades_history.json")), 180);
                assertThat(db.text("SELECT string_agg(status, ',' ORDER BY id) FROM ferry.runs")).isEqualTo("aborted,completed");
                assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(orders(trades));
                assertThat(db.count("SELECT count(*) FROM trading.fills")).isEqualTo(orders(trades) - 1);
                assertThat(target).doesNotExist();
                assertThat(sigtermAndWait(again)).as("SIGTERM of an idle service, ms").isLessThan(10_000);
            } finally {
                again.destroyForcibly();
            }
        }
    }

    @Test
    void aRunThatEndsWithinTheGracePeriodCompletesBeforeTheServiceExits() throws Exception {
        try (TestDatabase db = new TestDatabase(GracefulShutdownIT.class, "finish")) {
            Path work = Files.createTempDirectory("ferry-sigterm-");
            int trades = 20_000;
            Path file = new TradesHistoryGenerator().trades(trades).seed(5).write(work.resolve("trades_history.json"));
            // a grace period longer than the whole load: the run finishes, however the machine's speed varies
            Process p = startWithUser(db, work, "proc", env(db, work, "60000"));
            try {
                drop(work, file);
                waitFor(() -> Files.readString(work.resolve("proc/stderr.txt")).contains("records read"), 120);

                long exitMillis = sigtermAndWait(p);

                assertThat(exitMillis).as("SIGTERM to exit, ms (the rest of the load)").isLessThan(30_000);
                assertThat(work.resolve("done/user_1/trades_history.json")).exists();
                assertThat(db.text("SELECT string_agg(status, ',') FROM ferry.runs")).isEqualTo("completed");
                assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(orders(trades));
                assertThat(db.count("SELECT count(*) FROM trading.fills")).isEqualTo(orders(trades) - 1);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aSqliteMigrationStoppedBetweenBatchesKeepsThemAndTheNextStartResumesIt() throws Exception {
        try (TestDatabase db = new TestDatabase(GracefulShutdownIT.class, "sqlite")) {
            Path work = Files.createTempDirectory("ferry-sigterm-sqlite-");
            Path store = new MarketStoreGenerator().ohlcvRows(400_000).write(work.resolve("store.db"));
            Map<String, String> env = env(db, work, "500");
            // small batches: hundreds of commits, so the stop lands between two of them
            env.put("FERRY_SQLITE_BATCH_ROWS", "1000");
            Process p = FerryProcess.start(work.resolve("proc"), env, List.of("-Xmx512m"), "serve");
            Path target = work.resolve("inbox/sqlite/store.db");
            try {
                waitFor(() -> Files.readString(work.resolve("proc/stderr.txt")).contains("Apache Camel 4.18.0 (ferry) started"), 60);
                Files.createDirectories(target.getParent());
                Files.move(store, target, StandardCopyOption.ATOMIC_MOVE);
                waitFor(() -> db.count("SELECT coalesce(sum(loaded), 0) FROM ferry.sqlite_tables") > 0, 120);

                long exitMillis = sigtermAndWait(p);

                assertThat(exitMillis).as("SIGTERM to exit, ms (grace 500 ms)").isLessThan(10_000);
                assertThat(db.text("SELECT string_agg(status, ',') FROM ferry.runs")).isEqualTo("aborted");
                assertThat(db.text("SELECT message FROM ferry.runs")).contains("SIGTERM", "--resume");
                long kept = db.count("SELECT sum(loaded) FROM ferry.sqlite_tables");
                long total = db.count("SELECT sum(source_rows) FROM ferry.sqlite_tables");
                System.out.println("GracefulShutdownIT: SQLite rows kept at the stop " + kept + " of " + total);
                assertThat(kept).as("committed batches kept").isPositive().isLessThan(total);
                assertThat(target).as("left in the inbox").exists();
                assertThat(Files.readString(work.resolve("proc/stderr.txt"))).doesNotContain("Forced stopped", "Timeout occurred");
            } finally {
                p.destroyForcibly();
            }

            Process again = FerryProcess.start(work.resolve("proc2"), env, List.of("-Xmx512m"), "serve");
            try {
                waitFor(() -> Files.exists(work.resolve("done/sqlite/store.db")), 300);
                assertThat(Files.readString(work.resolve("proc2/stderr.txt"))).contains("Resuming run 1");
                assertThat(db.text("SELECT status || ': ' || message FROM ferry.runs")).isEqualTo("completed: validated: source and target agree");
                assertThat(db.count("SELECT sum(loaded) FROM ferry.sqlite_tables")).isEqualTo(db.count("SELECT sum(source_rows) FROM ferry.sqlite_tables"));
            } finally {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
                again.destroyForcibly();
            }
        }
    }

    private static Map<String, String> env(TestDatabase db, Path work, String graceMillis) {
        Map<String, String> env = new HashMap<>(Map.of(
                "FERRY_DB_URL", db.url(), "FERRY_DB_USER", TestDatabase.USER,
                "FERRY_INBOX", work.resolve("inbox").toString(), "FERRY_DONE", work.resolve("done").toString(),
                "FERRY_ERROR", work.resolve("error").toString(), "FERRY_REPORTS", work.resolve("reports").toString(),
                "FERRY_INBOX_POLL_MS", "200", "FERRY_INBOX_WRITE_COMPLETE_MS", "500",
                "FERRY_BATCH_PROGRESS_EVERY", "2000"));
        env.put("FERRY_SHUTDOWN_GRACE_MS", graceMillis);
        return env;
    }

    private static Process startWithUser(TestDatabase db, Path work, String dir, Map<String, String> env) throws Exception {
        Process p = FerryProcess.start(work.resolve(dir), env, List.of("-Xmx512m"), "serve");
        waitFor(() -> db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'trading' AND tablename = 'users'") == 1, 60);
        db.execute("INSERT INTO trading.users (id) VALUES (1)");
        return p;
    }

    private static Path drop(Path work, Path file) throws Exception {
        Path target = work.resolve("inbox/user_1/trades_history.json");
        Files.createDirectories(target.getParent());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** SIGTERM, then the milliseconds until the process has exited. */
    private static long sigtermAndWait(Process p) throws Exception {
        long t0 = System.nanoTime();
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("GracefulShutdownIT: SIGTERM to exit " + ms + " ms");
        return ms;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // not there yet (schema being created, log not written)
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + seconds + " s");
    }
}
