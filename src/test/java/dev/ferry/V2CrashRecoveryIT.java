package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of `ferry v2 migrate` in the middle of the trades, then of `ferry v2 sync` in the middle
 * of its pages, each followed by the same command again: the packaged jar as a user runs it.
 * What must hold: v3 ends with exactly the rows (and rejects) a clean run into another database
 * gives, compared without the ids v3 draws.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class V2CrashRecoveryIT {

    private Path work;
    private TestDatabase v2;
    private TestDatabase v3;
    private TestDatabase clean;

    @BeforeAll
    void setUp() throws Exception {
        work = Files.createTempDirectory("ferry-v2-crash-");
        v2 = new TestDatabase(getClass(), "v2");
        v3 = new TestDatabase(getClass(), "v3");
        clean = new TestDatabase(getClass(), "clean");
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.small().trades(40_000).signals(20_000).sltp(10_000).history(30_000).sessions(200).create(c);
        }
    }

    @AfterAll
    void tearDown() {
        for (TestDatabase d : new TestDatabase[] {v2, v3, clean}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private Map<String, String> env(TestDatabase target) {
        // small pages: many commits, so the kill lands between two of them; deletes applied, so a clean full pass of
        // the changed v2 is the reference for the sync too
        return Map.of("FERRY_DB_URL", target.url(), "FERRY_DB_USER", TestDatabase.USER, "FERRY_V2_URL", v2.url(),
                "FERRY_V2_PAGE_ROWS", "500", "FERRY_V2_SYNC_DELETES", "apply", "FERRY_REPORTS", work.resolve("reports").toString());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killedMidPassAndMidSyncThenRerunGivesTheCleanRunsRows() throws Exception {
        killWhen("first", 20, "v2", "migrate", "--create-v3");
        long pagesAtKill = v3.count("SELECT count(*) FROM ferry_v2.pages");
        assertThat(pagesAtKill).as("pages committed at the kill").isPositive();
        FerryProcess.Result rerun = FerryProcess.run(work.resolve("rerun"), env(v3), 300, "v2", "migrate");
        assertThat(rerun.stdout()).as(rerun.all()).contains("every table adds up", "VALID");
        assertThat(rerun.stdout()).contains("pages unchanged since the last pass (skipped) ");

        FerryProcess.Result cleanRun = FerryProcess.run(work.resolve("clean"), env(clean), 300, "v2", "migrate", "--create-v3");
        assertThat(cleanRun.stdout()).as(cleanRun.all()).contains("VALID");
        assertThat(digest(v3)).as("v3 after kill -9 + rerun vs a clean run").isEqualTo(digest(clean));
        assertThat(rejects(v3)).isEqualTo(rejects(clean));

        // the bot trades on; a sync is killed half way, then run again
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.mutate(c, 2_000, 42);
        }
        long runsBefore = v3.count("SELECT count(*) FROM ferry.runs");
        killWhen("sync", 2, "v2", "sync");
        assertThat(v3.count("SELECT count(*) FROM ferry.runs")).isGreaterThan(runsBefore);
        FerryProcess.Result sync = FerryProcess.run(work.resolve("sync-again"), env(v3), 300, "v2", "sync");
        assertThat(sync.stdout()).as(sync.all()).contains("every table adds up");
        FerryProcess.Result validate = FerryProcess.run(work.resolve("validate"), env(v3), 300, "v2", "validate");
        assertThat(validate.stdout()).as(validate.all()).contains("VALID ");

        try (TestDatabase today = new TestDatabase(getClass(), "today")) {
            FerryProcess.Result cleanAgain = FerryProcess.run(work.resolve("clean-again"), env(today), 300, "v2", "migrate", "--create-v3");
            assertThat(cleanAgain.stdout()).as(cleanAgain.all()).contains("VALID");
            assertThat(digest(v3)).as("v3 after migrate, kill -9 in a sync, sync vs a clean run of today's v2").isEqualTo(digest(today));
        }
    }

    /** Starts the command and kills it (SIGKILL) once the run it started committed {@code pages} pages. */
    private void killWhen(String dir, int pages, String... args) throws Exception {
        long lastRun = lastRun();
        Process p = FerryProcess.start(work.resolve(dir), env(v3), List.of(), args);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (pagesOf(lastRun) < pages) {
            if (!p.isAlive()) {
                fail("ferry " + String.join(" ", args) + " ended (exit " + p.exitValue() + ") before the kill:\n"
                        + Files.readString(work.resolve(dir).resolve("stdout.txt")));
            }
            if (System.nanoTime() > deadline) {
                fail("no committed page within 3 minutes");
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code 128 + SIGKILL(9)").isEqualTo(137);
    }

    private long lastRun() {
        try {
            return v3.count("SELECT coalesce(max(id), 0) FROM ferry.runs");
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    private long pagesOf(long afterRun) {
        try {
            return v3.count("SELECT count(*) FROM ferry_v2.pages WHERE run_id > " + afterRun);
        } catch (IllegalStateException e) {
            return 0; // the lineage schema is not there yet
        }
    }

    /** v3's rows without the ids it draws: the sltp orders name their order by its order_id. */
    private static String digest(TestDatabase d) {
        return d.text("""
                SELECT count(*) || ':' || md5(string_agg(t, E'\\n' ORDER BY t)) FROM (
                  SELECT 'orders ' || (to_jsonb(x) - 'id')::text AS t FROM orders x
                  UNION ALL SELECT 'trades ' || (to_jsonb(x) - 'id')::text FROM trades x
                  UNION ALL SELECT 'signals ' || (to_jsonb(x) - 'id')::text FROM signals x
                  UNION ALL SELECT 'sltp ' || (to_jsonb(s) - 'id' - 'trade_id' || jsonb_build_object('order', o.order_id))::text
                              FROM sltp_orders s JOIN orders o ON o.id = s.trade_id
                  UNION ALL SELECT 'history ' || (to_jsonb(x) - 'id')::text FROM bybit_trade_history x
                  UNION ALL SELECT 'sessions ' || (to_jsonb(x) - 'id')::text FROM trading_sessions x) r""");
    }

    private static String rejects(TestDatabase d) {
        return d.text("SELECT count(*) || ':' || md5(string_agg(concat_ws('|', v2_table, v2_id, column_name, value, reason, warning), E'\\n' "
                + "ORDER BY v2_table, v2_id, column_name, reason)) FROM ferry_v2.rejects");
    }
}
