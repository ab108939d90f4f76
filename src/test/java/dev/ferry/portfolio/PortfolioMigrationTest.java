package dev.ferry.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.core.schema.catalog.Catalog;
import dev.ferry.core.schema.catalog.CatalogDiff;
import dev.ferry.demo.DashboardDatabaseGenerator;
import dev.ferry.portfolio.report.PortfolioResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The four commands on a dashboard database the dashboard made itself (no Ferry history), through
 * direct:portfolio as the CLI sends them: the baseline, phase 1 with the old application's
 * statements, the refusals, phase 2, and the rollback from either phase, with the merge.
 */
class PortfolioMigrationTest extends FerryTestSupport {

    private TestDatabase dash;

    @BeforeEach
    void freshDashboard() throws SQLException {
        if (dash != null) {
            dash.close();
        }
        dash = new TestDatabase(getClass(), "dash");
        try (Connection c = dash.connect()) {
            new DashboardDatabaseGenerator().signals(2_000).prices(6_000).create(c);
        }
    }

    @AfterAll
    void dropDashboard() {
        if (dash != null) {
            dash.close();
        }
    }

    private PortfolioResult run(String command, boolean dryRun, boolean confirm) {
        return ferry.template().requestBodyAndHeaders("direct:portfolio", null,
                PortfolioMigration.headers(command, dash.url(), dryRun, confirm), PortfolioResult.class);
    }

    private Catalog catalog() throws SQLException {
        try (Connection c = dash.connect()) {
            return Catalog.read(c, "public"::equals);
        }
    }

    /** Every row of the dashboard's tables, generated columns included, in a stable order. */
    private String content() {
        return dash.text("""
                SELECT md5(string_agg(t, E'\\n' ORDER BY t)) FROM (
                  SELECT 'p|' || concat_ws('|', id, symbol, company_name, quantity, avg_cost, current_price, market_value, unrealized_pnl,
                                             sector, last_updated) AS t FROM portfolio_positions
                  UNION ALL SELECT 's|' || concat_ws('|', id, symbol, signal_type, signal_strength, price, volume, rsi, ma_5, ma_20, ma_50,
                                             bollinger_upper, bollinger_lower, created_at) FROM trading_signals
                  UNION ALL SELECT 'h|' || concat_ws('|', id, symbol, price, volume, high, low, open_price, close_price, "timestamp") FROM price_history
                  UNION ALL SELECT 'a|' || concat_ws('|', id, name, start_date, end_date, total_return) FROM portfolio_analyses
                  UNION ALL SELECT 'v|' || concat_ws('|', id, analysis_id, trade_date, total_value, top_contributors::text) FROM portfolio_value_history
                ) rows""");
    }

    @Test
    void checkRecognisesTheDashboardsOwnDatabaseAsOnePointZeroAndBaselinesIt() {
        PortfolioResult r = run("check", false, false);

        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getVersion()).isEqualTo("1.0.0");
        assertThat(r.getVersionSource()).startsWith("recognised from the catalog and baselined");
        assertThat(dash.count("SELECT count(*) FROM ferry_schema.history WHERE project = 'portfolio' AND operation = 'baseline'")).isEqualTo(1);
        assertThat(r.getFeatures()).extracting(PortfolioResult.Check::name, PortfolioResult.Check::ok)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("multi-portfolio", false),
                        org.assertj.core.groups.Tuple.tuple("backward compatible", true), org.assertj.core.groups.Tuple.tuple("constraints", false));
        assertThat(r.getNext()).anyMatch(n -> n.startsWith("ferry portfolio phase1"));
        // the second check reads the version from the history
        assertThat(run("check", false, false).getVersionSource()).isEqualTo("the schema history (ferry_schema)");
    }

    @Test
    void aDatabaseThatIsNotTheDashboardsIsNotGuessedAt() {
        dash.execute("ALTER TABLE trading_signals ADD COLUMN portfolio_id varchar(50)");

        PortfolioResult check = run("check", false, false);
        assertThat(check.getVersion()).isNull();
        assertThat(check.getVersionSource()).contains("not recognised", "no Ferry history says how it got there");
        assertThat(dash.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry_schema'")).as("a check writes nothing there").isZero();
        PortfolioResult phase1 = run("phase1", false, false);
        assertThat(phase1.getStatus()).isEqualTo(PortfolioResult.Status.REFUSED);
        assertThat(phase1.getErrors().get(0)).contains("phase 1 starts from the single-portfolio 1.0");
        assertThat(dash.count("SELECT count(*) FROM pg_tables WHERE tablename = 'portfolios'")).isZero();
    }

    @Test
    void phaseOneKeepsTheOldApplicationWorkingAndItsRollbackGivesBackExactlyTheOriginal() throws Exception {
        Catalog before = catalog();
        String content = content();

        PortfolioResult dry = run("phase1", true, false);
        assertThat(dry.getSql()).anyMatch(s -> s.contains("CREATE UNIQUE INDEX CONCURRENTLY portfolio_positions_portfolio_symbol_key"));
        assertThat(catalog()).isEqualTo(before);

        PortfolioResult r = run("phase1", false, false);
        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getStatus()).isEqualTo(PortfolioResult.Status.OK);
        assertThat(r.getVersion()).isEqualTo("2.0.0");
        assertThat(r.getValidation()).allMatch(PortfolioResult.Check::ok);
        // the backup, from one snapshot, recorded in the run
        String backup = "ferry_backup_" + r.getRunId();
        assertThat(r.getBackupSchema()).isEqualTo(backup);
        assertThat(r.getBackupRows()).containsEntry("portfolio_positions", 12L).containsEntry("trading_signals", 2_000L).containsEntry("price_history", 6_000L);
        assertThat(dash.count("SELECT count(*) FROM " + backup + ".price_history")).isEqualTo(6_000);
        assertThat(db.text("SELECT message FROM ferry.runs WHERE id = " + r.getRunId())).contains("1.0.0 -> 2.0.0", backup);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + r.getRunId())).isEqualTo("completed");
        // every existing row is in DEFAULT
        assertThat(dash.count("SELECT count(*) FROM price_history WHERE portfolio_id = 'DEFAULT'")).isEqualTo(6_000);
        assertThat(dash.text("SELECT string_agg(portfolio_id || ':' || name, ',') FROM portfolios")).isEqualTo("DEFAULT:Default portfolio");
        assertThat(dash.count("SELECT positions FROM portfolio_summary WHERE portfolio_id = 'DEFAULT'")).isEqualTo(12);

        // the old application, unchanged: upsert by symbol, update by symbol, inserts by symbol, reads with generated columns
        try (Connection c = dash.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO portfolio_positions (symbol, company_name, quantity, avg_cost, current_price) VALUES ('0700.HK', 'Tencent', 3200, 321, 340) "
                    + "ON CONFLICT (symbol) DO UPDATE SET quantity = EXCLUDED.quantity, current_price = EXCLUDED.current_price");
            st.execute("INSERT INTO portfolio_positions (symbol, company_name, quantity, avg_cost, current_price) VALUES ('0001.HK', 'CK Hutchison', 500, 40, 41) "
                    + "ON CONFLICT (symbol) DO UPDATE SET quantity = EXCLUDED.quantity");
            st.execute("UPDATE portfolio_positions SET current_price = 5.9 WHERE symbol = '0857.HK'");
            st.execute("INSERT INTO trading_signals (symbol, signal_type, signal_strength, price) VALUES ('0001.HK', 'A', 0.8, 41)");
            st.execute("INSERT INTO price_history (symbol, price) VALUES ('0001.HK', 41.1)");
        }
        assertThat(dash.text("SELECT portfolio_id FROM portfolio_positions WHERE symbol = '0001.HK'")).isEqualTo("DEFAULT");
        assertThat(dash.text("SELECT portfolio_id FROM trading_signals WHERE symbol = '0001.HK'")).isEqualTo("DEFAULT");
        assertThat(dash.text("SELECT portfolio_id FROM price_history WHERE symbol = '0001.HK'")).isEqualTo("DEFAULT");
        assertThat(dash.text("SELECT market_value FROM portfolio_positions WHERE symbol = '0700.HK'")).isEqualTo("1088000.00");
        dash.execute("DELETE FROM portfolio_positions WHERE symbol = '0001.HK'; "
                + "UPDATE portfolio_positions SET quantity = 3100, current_price = 338.8 WHERE symbol = '0700.HK'; "
                + "UPDATE portfolio_positions SET current_price = 5.72 WHERE symbol = '0857.HK'");

        PortfolioResult refused = run("rollback", false, false);
        assertThat(refused.getStatus()).isEqualTo(PortfolioResult.Status.REFUSED);
        assertThat(refused.getErrors().get(0)).contains("needs confirming");
        PortfolioResult back = run("rollback", false, true);
        assertThat(back.getErrors()).isEmpty();
        assertThat(back.getVersion()).isEqualTo("1.0.0");
        assertThat(back.getMerge()).isEmpty();
        assertThat(back.getValidation()).allMatch(PortfolioResult.Check::ok);

        CatalogDiff diff = CatalogDiff.compare(before, catalog());
        assertThat(diff.lines()).isEmpty();
        assertThat(content()).isEqualTo(content);
    }

    @Test
    void aRollbackCutOffInItsUndoIsFinishedByTheNextRollback() throws Exception {
        Catalog before = catalog();
        String content = content();
        assertThat(run("phase1", false, false).getErrors()).isEmpty();
        // what a kill -9 of a rollback leaves after its merge committed and down.sql got past the columns and the
        // functions (each of its statements commits on its own): 2.0.0 still recorded as applied
        dash.execute("""
                DROP VIEW portfolio_summary; DROP INDEX idx_price_history_portfolio_symbol, idx_trading_signals_portfolio_symbol,
                     portfolio_positions_portfolio_symbol_key;
                DROP TRIGGER ferry_portfolio_fill ON price_history; ALTER TABLE price_history DROP COLUMN portfolio_id;
                DROP TRIGGER ferry_portfolio_fill ON trading_signals; ALTER TABLE trading_signals DROP COLUMN portfolio_id;
                DROP TRIGGER ferry_portfolio_fill ON portfolio_positions; ALTER TABLE portfolio_positions DROP COLUMN portfolio_id;
                DROP FUNCTION ferry_portfolio_fill(); DROP FUNCTION ferry_default_portfolio()""");

        PortfolioResult again = run("rollback", false, true);

        assertThat(again.getErrors()).isEmpty();
        assertThat(again.getVersion()).isEqualTo("1.0.0");
        assertThat(again.getMerge()).isEmpty();
        assertThat(again.getValidation()).allMatch(PortfolioResult.Check::ok);
        assertThat(CatalogDiff.compare(before, catalog()).lines()).isEmpty();
        assertThat(content()).isEqualTo(content);
    }

    @Test
    void portfoliosThatAlreadyExistAreKeptAndTheOldestIsTheDefault() throws Exception {
        dash.execute("""
                CREATE TABLE portfolios (id serial PRIMARY KEY, portfolio_id varchar(50) NOT NULL UNIQUE, name varchar(200) NOT NULL,
                                         description text, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
                                         updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
                INSERT INTO portfolios (portfolio_id, name, created_at) VALUES ('HK-CORE', 'Core', '2024-01-01'), ('HK-NEW', 'New', '2025-06-01')""");
        Catalog before = catalog();

        PortfolioResult r = run("phase1", false, false);
        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getNotes()).anyMatch(n -> n.contains("baselined") && n.contains("a portfolios table is there already"));
        assertThat(dash.text("SELECT string_agg(DISTINCT portfolio_id, ',') FROM portfolio_positions")).isEqualTo("HK-CORE");
        assertThat(dash.count("SELECT count(*) FROM portfolios")).as("no DEFAULT beside them").isEqualTo(2);

        assertThat(run("rollback", false, true).getErrors()).isEmpty();
        assertThat(CatalogDiff.compare(before, catalog()).lines()).as("the portfolios table stays, as it was not Ferry's").isEmpty();
        assertThat(dash.count("SELECT count(*) FROM portfolios")).isEqualTo(2);
    }

    @Test
    void phaseTwoRefusesWhileARowWouldBreakItThenAsksForConfirmation() {
        assertThat(run("phase1", false, false).getErrors()).isEmpty();
        // a signal of a portfolio that has no such position: phase 2's key would refuse it
        dash.execute("INSERT INTO trading_signals (portfolio_id, symbol, signal_type, price) VALUES ('GHOST', '0005.HK', 'B', 39)");
        long ghost = dash.count("SELECT id FROM trading_signals WHERE portfolio_id = 'GHOST'");

        PortfolioResult blocked = run("phase2", false, true);
        assertThat(blocked.getStatus()).isEqualTo(PortfolioResult.Status.REFUSED);
        assertThat(blocked.getErrors().get(0)).contains("trading_signals", ghost + " (0005.HK, portfolio GHOST)", "nothing was changed");
        assertThat(blocked.getVersion()).isEqualTo("2.0.0");
        assertThat(run("check", false, false).getHealth()).anyMatch(c -> !c.ok() && c.name().equals("orphans in trading_signals"));

        dash.execute("DELETE FROM trading_signals WHERE portfolio_id = 'GHOST'");
        PortfolioResult unconfirmed = run("phase2", false, false);
        assertThat(unconfirmed.getStatus()).isEqualTo(PortfolioResult.Status.REFUSED);
        assertThat(unconfirmed.getErrors().get(0)).contains("needs confirming", "ON CONFLICT (symbol) fails");

        PortfolioResult done = run("phase2", false, true);
        assertThat(done.getErrors()).isEmpty();
        assertThat(done.getStatus()).isEqualTo(PortfolioResult.Status.OK);
        assertThat(done.getVersion()).isEqualTo("3.0.0");
        assertThat(done.getFeatures()).filteredOn(c -> c.name().equals("constraints")).allMatch(PortfolioResult.Check::ok);
        assertThat(done.getFeatures()).filteredOn(c -> c.name().equals("backward compatible")).noneMatch(PortfolioResult.Check::ok);
        // as said: the old upsert stops working, the portfolio-aware one works
        assertThatThrownBy(() -> dash.execute("INSERT INTO portfolio_positions (symbol, quantity) VALUES ('0700.HK', 1) "
                + "ON CONFLICT (symbol) DO UPDATE SET quantity = 1")).hasMessageContaining("no unique or exclusion constraint");
        dash.execute("INSERT INTO portfolio_positions (portfolio_id, symbol, quantity) VALUES ('DEFAULT', '0700.HK', 3100) "
                + "ON CONFLICT (portfolio_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity");
        assertThatThrownBy(() -> dash.execute("INSERT INTO trading_signals (portfolio_id, symbol, price) VALUES ('GHOST', '0005.HK', 1)"))
                .hasMessageContaining("trading_signals_position_fk");
    }

    @Test
    void rollbackFromPhaseTwoMergesEveryPortfolioIntoTheDefaultOneAndRestoresOnePointZero() throws Exception {
        Catalog before = catalog();
        assertThat(run("phase1", false, false).getErrors()).isEmpty();
        assertThat(run("phase2", false, true).getErrors()).isEmpty();
        // a second portfolio holds 0700.HK too (and a symbol of its own), with a signal and a price each
        dash.execute("""
                INSERT INTO portfolios (portfolio_id, name) VALUES ('GROWTH', 'Growth');
                INSERT INTO portfolio_positions (portfolio_id, symbol, quantity, avg_cost, current_price)
                     VALUES ('GROWTH', '0700.HK', 900, 350.000, 338.8), ('GROWTH', '0001.HK', 500, 40.000, 41);
                INSERT INTO trading_signals (portfolio_id, symbol, signal_type, price) VALUES ('GROWTH', '0700.HK', 'A', 330), ('GROWTH', '0001.HK', 'C', 41);
                INSERT INTO price_history (portfolio_id, symbol, price) VALUES ('GROWTH', '0700.HK', 331), ('GROWTH', '0001.HK', 41.2)""");
        long signals = dash.count("SELECT count(*) FROM trading_signals");
        long prices = dash.count("SELECT count(*) FROM price_history");
        long keptId = dash.count("SELECT id FROM portfolio_positions WHERE portfolio_id = 'DEFAULT' AND symbol = '0700.HK'");

        PortfolioResult badTo = ferry.template().requestBodyAndHeaders("direct:portfolio", null,
                PortfolioMigration.headers("rollback", dash.url(), true, true, "3.0.0"), PortfolioResult.class);
        assertThat(badTo.getStatus()).isEqualTo(PortfolioResult.Status.REFUSED);
        assertThat(badTo.getErrors().get(0)).contains("1.0.0 or 2.0.0, not 3.0.0");

        PortfolioResult dry = run("rollback", true, false);
        assertThat(dry.getErrors()).isEmpty();
        assertThat(dry.getKeptPortfolio()).isEqualTo("DEFAULT");
        assertThat(dry.getMerge()).singleElement().satisfies(g -> {
            assertThat(g.symbol()).isEqualTo("0700.HK");
            assertThat(g.keptId()).isEqualTo(keptId);
            assertThat(g.quantity()).isEqualTo(4_000);
            // (3100 × 320.500 + 900 × 350.000) / 4000
            assertThat(g.avgCost()).isEqualTo("327.138");
            assertThat(g.merged()).singleElement().asString().contains("of GROWTH: 900 @ 350.000");
        });
        assertThat(dry.getPositionsMoved()).isEqualTo(1);
        assertThat(dry.getSql()).anyMatch(s -> s.contains("CREATE UNIQUE INDEX CONCURRENTLY portfolio_positions_symbol_key"));
        assertThat(dash.count("SELECT count(*) FROM portfolio_positions WHERE portfolio_id = 'GROWTH'")).as("a dry run changes nothing").isEqualTo(2);

        PortfolioResult back = run("rollback", false, true);
        assertThat(back.getErrors()).isEmpty();
        assertThat(back.getStatus()).isEqualTo(PortfolioResult.Status.OK);
        assertThat(back.getFromVersion()).isEqualTo("3.0.0");
        assertThat(back.getVersion()).isEqualTo("1.0.0");
        assertThat(back.getValidation()).allMatch(PortfolioResult.Check::ok);
        assertThat(dash.text("SELECT quantity || '@' || avg_cost FROM portfolio_positions WHERE symbol = '0700.HK'")).isEqualTo("4000@327.138");
        assertThat(dash.count("SELECT id FROM portfolio_positions WHERE symbol = '0700.HK'")).isEqualTo(keptId);
        assertThat(dash.count("SELECT count(*) FROM portfolio_positions")).isEqualTo(13);
        // no signal or price was lost in the merge: the merged row's moved to the kept one
        assertThat(dash.count("SELECT count(*) FROM trading_signals")).isEqualTo(signals);
        assertThat(dash.count("SELECT count(*) FROM price_history")).isEqualTo(prices);
        assertThat(CatalogDiff.compare(before, catalog()).lines()).isEmpty();
        // and the old application's upsert works again
        dash.execute("INSERT INTO portfolio_positions (symbol, quantity) VALUES ('0700.HK', 4100) ON CONFLICT (symbol) DO UPDATE SET quantity = EXCLUDED.quantity");
    }

    @Test
    void aRequestFileWithAnUnknownFieldIsRefusedWithoutRunning() throws Exception {
        Path file = Files.writeString(work.resolve("phase1.json"), "{\"command\": \"phase1\", \"confirm\": true, \"dryrun\": true}");
        assertThatThrownBy(() -> PortfolioRequest.read(file.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown field \"dryrun\"").hasMessageContaining("nothing was run");
        Path empty = Files.writeString(work.resolve("empty.json"), "");
        assertThatThrownBy(() -> PortfolioRequest.read(empty.toString())).hasMessageContaining("empty.json is empty");
        Path twice = Files.writeString(work.resolve("twice.json"), "{\"command\": \"check\", \"command\": \"phase2\"}");
        assertThatThrownBy(() -> PortfolioRequest.read(twice.toString())).hasMessageContaining("not a JSON request");
        assertThat(PortfolioRequest.read(Files.writeString(work.resolve("ok.json"), "{\"command\": \"phase2\", \"confirm\": true}").toString()))
                .isEqualTo(new PortfolioRequest("phase2", null, false, true));
    }
}
