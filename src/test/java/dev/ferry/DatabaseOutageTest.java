package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.bench.reliability.TcpProxy;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL going away, seen from Ferry: Ferry reaches the database only through a
 * proxy the test can cut, while the test itself checks the database directly. An
 * outage must cost time, never data: the run is retried until it completes, and what
 * ends up in the database is exactly what an undisturbed import gives.
 */
class DatabaseOutageTest extends FerryTestSupport {

    /** Names the second database, the one the undisturbed import goes to. */
    private static final class DatabaseOutageTestCleanImport {
    }

    private TcpProxy proxy;

    @Override
    protected Map<String, String> extraSettings() {
        try {
            proxy = new TcpProxy("127.0.0.1", 5432).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the test database exists by now (FerryTestSupport creates it first); only the route to it changes
        return Map.of(
                "ferry.db.url", proxy.jdbcUrl(db.name()),
                "ferry.retry.max-attempts", "20",
                "ferry.retry.delay-ms", "200",
                "ferry.retry.max-delay-ms", "1000");
    }

    @AfterAll
    void stopProxy() throws IOException {
        if (proxy != null) {
            proxy.stop();
        }
        // the generated files are tens of MB; FerryTestSupport leaves its work folder in place
        if (work != null) {
            deleteTree(work.resolve("files"));
        }
    }

    @BeforeEach
    void emptyDatabase() throws IOException {
        proxy.start(); // a case that failed mid-outage must not leave the next one without a database
        // each case compares the whole database with an import of its own file alone
        db.emptyTables();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anImportStartedWhilePostgresIsDownCompletesOnceItIsBack() throws Exception {
        int trades = 1_000;
        Path file = new TradesHistoryGenerator().trades(trades).seed(11).write(work.resolve("files/down-at-start/trades_history.json"));

        proxy.stop();
        AtomicLong restoredAt = new AtomicLong();
        CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(2_000); // how long the outage lasts
                restoredAt.set(System.nanoTime());
                proxy.start();
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });

        RunResult r = importTrades(file, 1, false);
        long returnedAt = System.nanoTime();
        restore.get(10, TimeUnit.SECONDS);

        assertThat(returnedAt).as("the import ended after PostgreSQL came back, so it did meet the outage").isGreaterThan(restoredAt.get());
        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        // a buy order per trade, a sell order per closed (odd) trade, and the file's one failed order
        long orders = trades + trades / 2 + 1;
        long fills = trades + trades / 2;
        assertThat(r.getOrders()).isEqualTo(orders);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).as("orders loaded").isEqualTo(orders);
        assertThat(db.count("SELECT count(*) FROM trading.fills")).as("fills loaded").isEqualTo(fills);
        assertThat(db.text("SELECT string_agg(status, ',' ORDER BY id) FROM ferry.runs")).as("runs recorded").isEqualTo("completed");
        assertThat(db.count("SELECT count(*) FROM ferry.processed_files")).as("files recorded as loaded").isEqualTo(1);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void connectionsCutMidRunRollBackAndTheRetryLoadsTheFileExactlyOnce() throws Exception {
        Path file = new TradesHistoryGenerator().trades(100_000).seed(5).write(work.resolve("files/cut-mid-run/trades_history.json"));
        CleanImport expected = cleanImport(file);

        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> running = background.submit(() -> importTrades(file, 1, false));
            long interrupted = awaitRunStreamingOrders(running);

            proxy.stop();
            Thread.sleep(1_000); // how long the outage lasts
            proxy.start();

            RunResult r = running.get(4, TimeUnit.MINUTES);
            assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(r.getRunId()).as("the run that completed is a new one").isNotEqualTo(interrupted);

            assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + interrupted))
                    .as("the interrupted run").isNotEqualTo("completed").isEqualTo("aborted");
            assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'completed'")).as("completed runs").isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM ferry.processed_files")).as("files recorded as loaded").isEqualTo(1);

            assertThat(db.count("SELECT count(*) FROM trading.orders")).as("orders").isEqualTo(expected.orders());
            assertThat(db.count("SELECT count(*) FROM trading.fills")).as("fills").isEqualTo(expected.fills());
            assertThat(db.count("""
                    SELECT count(*) FROM (SELECT ferry_record, side FROM trading.orders
                                          GROUP BY ferry_record, side HAVING count(*) > 1) twice"""))
                    .as("source records with more than one order of a side").isZero();
            assertThat(db.contentDigest()).as("content after the outage vs. an undisturbed import").isEqualTo(expected.digest());
        } finally {
            background.shutdownNow();
        }
    }

    /**
     * Waits until the run is recorded as 'running' and its backend is streaming the
     * orders COPY, i.e. rows of the file are on their way into PostgreSQL; returns the run id.
     */
    private long awaitRunStreamingOrders(Future<RunResult> running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.id FROM ferry.runs r JOIN pg_stat_activity a ON a.pid = r.backend_pid
                WHERE r.status = 'running' AND a.state = 'active' AND a.query LIKE 'COPY trading.orders %'""")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
                if (running.isDone()) {
                    fail("the import ended before it could be cut: " + running.get().summaryLine());
                }
                Thread.sleep(20);
            }
        }
        return fail("no run started streaming orders within 2 minutes");
    }

    /** The same file imported by a plain Ferry into a fresh database, straight to PostgreSQL. */
    private CleanImport cleanImport(Path file) throws Exception {
        try (TestDatabase clean = new TestDatabase(DatabaseOutageTestCleanImport.class)) {
            Map<String, String> settings = new HashMap<>();
            settings.put("ferry.db.url", clean.url());
            settings.put("ferry.db.user", TestDatabase.USER);
            settings.put("ferry.reports", work.resolve("clean-reports").toString());
            // a second Camel context in this JVM: its own name keeps their JMX names apart
            settings.put("camel.main.name", "ferry-clean");
            try (FerryRuntime plain = FerryRuntime.start(false, settings)) {
                clean.execute("INSERT INTO trading.users (id) VALUES (1)");
                RunResult r = plain.template().requestBodyAndHeaders("direct:import-bot-file", null, Map.of("FerryFlow", "trades_history",
                        "FerryFile", file.toAbsolutePath().toString(), "FerryUserId", 1L, "FerryDryRun", false), RunResult.class);
                assertThat(r.getStatus()).as("the undisturbed import").isEqualTo(RunStatus.COMPLETED);
            }
            return new CleanImport(clean.count("SELECT count(*) FROM trading.orders"), clean.count("SELECT count(*) FROM trading.fills"),
                    clean.contentDigest());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record CleanImport(long orders, long fills, String digest) {
    }
}
