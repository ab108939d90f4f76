package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of `ferry sqlite` in the middle of the largest table (the OHLCV bars), then
 * `ferry sqlite --resume`: the packaged jar as a user runs it, the real PostgreSQL. What
 * must hold: a plain rerun refuses and points at --resume; the resumed run continues the
 * same run after its committed batches; the result has every row once, and each table's
 * checksum equals that of a clean run into another database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteCrashRecoveryIT {

    private static final int OHLCV_ROWS = 300_000;
    private static final String[] TABLES = {"tickers", "stock_details", "etf_details", "etf_holdings", "ohlcv_data",
        "ticker_fundamentals", "global_market_indices", "exchange_rate_history", "market_sentiment"};

    /** Names the second database, the clean run's. */
    private static final class SqliteCrashRecoveryITClean {
    }

    private Path work;
    private Path store;
    private TestDatabase db;
    private TestDatabase clean;

    @BeforeAll
    void setUp() throws Exception {
        work = Files.createTempDirectory("ferry-sqlite-crash-");
        store = new MarketStoreGenerator().ohlcvRows(OHLCV_ROWS).write(work.resolve("market.db"));
        db = new TestDatabase(getClass());
        clean = new TestDatabase(SqliteCrashRecoveryITClean.class);
    }

    @AfterAll
    void tearDown() {
        if (db != null) {
            db.close();
        }
        if (clean != null) {
            clean.close();
        }
    }

    private Map<String, String> env(TestDatabase target) {
        // small batches: many commits, so the kill lands between two of them
        return Map.of("FERRY_DB_URL", target.url(), "FERRY_DB_USER", TestDatabase.USER, "FERRY_SQLITE_BATCH_ROWS", "10000",
                "FERRY_REPORTS", work.resolve("reports").toString(), "FERRY_BATCH_PROGRESS_EVERY", "10000");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killedMidLargestTableThenResumedGivesTheCleanRunsChecksums() throws Exception {
        Process first = FerryProcess.start(work.resolve("first"), env(db), List.of("-Xmx512m"), "sqlite", store.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (committedOhlcvRows() < 30_000) {
            if (!first.isAlive()) {
                fail("ferry sqlite ended (exit " + first.exitValue() + ") before the kill:\n" + Files.readString(work.resolve("first/stderr.txt")));
            }
            if (System.nanoTime() > deadline) {
                fail("no committed OHLCV batch within 5 minutes");
            }
            Thread.sleep(50);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("exit code 128 + SIGKILL(9)").isEqualTo(137);
        long committed = db.count("SELECT rows_read FROM ferry.sqlite_tables WHERE source_table = 'ohlcv_data'");
        assertThat(committed).as("OHLCV rows committed at the kill").isBetween(1L, (long) OHLCV_ROWS - 1);
        assertThat(db.count("SELECT count(*) FROM public.ohlcv_data")).as("rows in the table = rows its checkpoints count").isEqualTo(committed);
        long runId = db.count("SELECT id FROM ferry.runs WHERE flow = 'sqlite'");

        FerryProcess.Result rerun = FerryProcess.run(work.resolve("rerun"), env(db), 300, "sqlite", store.toString());
        assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(1);
        assertThat(rerun.stdout()).contains("run " + runId + " of this file was interrupted", "--resume");

        FerryProcess.Result resumed = FerryProcess.run(work.resolve("resume"), env(db), 600, "sqlite", store.toString(), "--resume");
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(resumed.stdout()).contains("run " + runId + ", completed", "source and target agree");

        FerryProcess.Result cleanRun = FerryProcess.run(work.resolve("clean"), env(clean), 600, "sqlite", store.toString());
        assertThat(cleanRun.exitCode()).as(cleanRun.all()).isZero();

        assertThat(db.count("SELECT count(*) FROM public.ohlcv_data")).isEqualTo(OHLCV_ROWS);
        assertThat(db.count("SELECT count(DISTINCT id) FROM public.ohlcv_data")).as("no row twice").isEqualTo(OHLCV_ROWS);
        for (String t : TABLES) {
            assertThat(checksum(db, t)).as("checksum of " + t + " after kill + resume vs. a clean run").isEqualTo(checksum(clean, t));
        }
        assertThat(db.text("SELECT string_agg(status, ',' ORDER BY id) FROM ferry.runs WHERE flow = 'sqlite'"))
                .as("the killed run completed by its resume; the refused rerun recorded").isEqualTo("completed,refused");
    }

    private long committedOhlcvRows() {
        try {
            return db.count("SELECT coalesce(max(rows_read), 0) FROM ferry.sqlite_tables WHERE source_table = 'ohlcv_data'");
        } catch (IllegalStateException e) {
            return 0; // schema not there yet
        }
    }

    private static String checksum(TestDatabase d, String table) {
        return d.text("SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::numeric), 0) FROM public." + table + " t");
    }
}
