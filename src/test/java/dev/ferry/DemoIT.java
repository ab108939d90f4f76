package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.ferry.support.FerryProcess;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** The README's first command: the demo loads its files through the running service and its summary matches the tables. */
class DemoIT {

    @Test
    void demoLoadsEveryFileAndItsSummaryMatchesTheTables() throws Exception {
        try (TestDatabase db = new TestDatabase(DemoIT.class)) {
            Path work = Files.createTempDirectory("ferry-demo-");
            FerryProcess.Result r = FerryProcess.run(work, Map.of("FERRY_DB_USER", TestDatabase.USER), 300,
                    "demo", "--database", db.name(), "--dir", work.resolve("demo").toString());

            assertThat(r.exitCode()).as(r.all()).isZero();
            long orders = db.count("SELECT count(*) FROM trading.orders");
            long fills = db.count("SELECT count(*) FROM trading.fills");
            assertThat(r.stdout()).contains("trading.orders = " + orders + ", trading.fills = " + fills + " (they match)");
            assertThat(r.stdout()).contains("trades_history", "pending_orders", "paper_orders", "holdings", "transactions");
            // the portfolio flow's runs are its phase 1 and its rollback (checks record no run)
            assertThat(db.count("SELECT count(DISTINCT flow) FROM ferry.runs WHERE status IN ('completed', 'completed_with_rejects')")).isEqualTo(8);
            assertThat(db.count("SELECT count(*) FROM trading.positions")).isEqualTo(2);
            // it ends with a validation of each user's loaded files, VALID, with its reports written
            assertThat(r.stdout()).contains("VALID  user 1", "VALID  user 2").doesNotContain("INVALID");
            try (var reports = Files.list(work.resolve("demo/reports"))) {
                assertThat(reports.filter(p -> p.getFileName().toString().matches("validation-.*\\.html"))).as("the two users', the market store's, and the v2 migration's after migrate, validate and cutover").hasSize(6);
            }
            assertThat(r.stdout()).contains("SQLite migrate of", "source and target agree");
            assertThat(db.count("SELECT count(*) FROM market.ohlcv_data")).isEqualTo(5_000);
            assertThat(orders).isGreaterThan(700);
            // last, a small v2 database migrated into a fresh v3, synced after the bot's changes, validated, cut over
            assertThat(r.stdout()).contains("v2 migrate run", "created the v3 base schema (--create-v3)", "The bot trades on:", "v2 sync run",
                    "v2 validate run", "v3 matches v2: safe to switch");
            // and a dashboard database checked at 1.0, taken to 2.0 by phase 1, rolled back and checked at 1.0 again
            assertThat(r.stdout()).containsSubsequence("portfolio check of", "version: 1.0.0 — recognised from the catalog and baselined",
                    "portfolio phase1 of", ": OK, 1.0.0 -> 2.0.0", "portfolio check of", ": OK, version 2.0.0",
                    "portfolio rollback of", ": OK, 2.0.0 -> 1.0.0", "portfolio check of", "version: 1.0.0 — the schema history");
            try (var reports = Files.list(work.resolve("demo/reports"))) {
                assertThat(reports.filter(p -> p.getFileName().toString().matches("portfolio-.*\\.html"))).as("its three checks, phase 1 and the rollback")
                        .hasSize(5);
            }
            try (TestDatabase v2 = TestDatabase.existing(db.name() + "_v2"); TestDatabase v3 = TestDatabase.existing(db.name() + "_v3");
                    TestDatabase dash = TestDatabase.existing(db.name() + "_dash")) {
                assertThat(v2.count("SELECT count(*) FROM trades")).isPositive();
                assertThat(v3.count("SELECT count(*) FROM orders")).isPositive();
                assertThat(v3.count("SELECT count(*) FROM ferry_v2.state WHERE key = 'cutover'")).isEqualTo(1);
                assertThat(dash.text("SELECT max(version) FROM ferry_schema.applied WHERE project = 'portfolio'")).isEqualTo("1.0.0");
                assertThat(dash.text("SELECT to_regclass('public.portfolios')")).isNull();
                assertThat(dash.count("SELECT count(*) FROM price_history")).isEqualTo(10_000);
            }
            try (var files = Files.walk(work.resolve("demo/inbox"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".json"))).as("nothing left in the inbox").isEmpty();
            }
        }
    }
}
