package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** SIGTERM while a file is loading: the service finishes the run, then stops; nothing is left half-written. */
class GracefulShutdownIT {

    @Test
    void sigtermMidRunLetsTheRunFinishBeforeExiting() throws Exception {
        try (TestDatabase db = new TestDatabase(GracefulShutdownIT.class)) {
            Path work = Files.createTempDirectory("ferry-sigterm-");
            Path file = new TradesHistoryGenerator().trades(60_000).seed(5).write(work.resolve("trades_history.json"));
            Map<String, String> env = Map.of(
                    "FERRY_DB_URL", db.url(), "FERRY_DB_USER", TestDatabase.USER,
                    "FERRY_INBOX", work.resolve("inbox").toString(), "FERRY_DONE", work.resolve("done").toString(),
                    "FERRY_ERROR", work.resolve("error").toString(), "FERRY_REPORTS", work.resolve("reports").toString(),
                    "FERRY_INBOX_POLL_MS", "200", "FERRY_INBOX_WRITE_COMPLETE_MS", "500",
                    "FERRY_BATCH_PROGRESS_EVERY", "5000");
            Process p = FerryProcess.start(work.resolve("proc"), env, List.of("-Xmx512m"), "serve");
            try {
                waitFor(() -> db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'trading' AND tablename = 'users'") == 1, 60);
                db.execute("INSERT INTO trading.users (id) VALUES (1)");
                Path target = work.resolve("inbox/user_1/trades_history.json");
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                Path log = work.resolve("proc/stderr.txt");
                waitFor(() -> Files.readString(log).contains("records read"), 120);

                p.destroy(); // SIGTERM, as docker stop or systemd sends it

                assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("stopped within the shutdown timeout").isTrue();
                assertThat(work.resolve("done/user_1/trades_history.json")).exists();
                assertThat(db.text("SELECT string_agg(status, ',') FROM ferry.runs")).isEqualTo("completed");
                assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(90_001);
                assertThat(db.count("SELECT count(*) FROM trading.fills")).isEqualTo(90_000);
            } finally {
                p.destroyForcibly();
            }
        }
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
