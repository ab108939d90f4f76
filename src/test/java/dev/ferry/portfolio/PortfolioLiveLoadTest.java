package dev.ferry.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.ferry.demo.DashboardDatabaseGenerator;
import dev.ferry.portfolio.DashboardWorkload.Figures;
import dev.ferry.portfolio.DashboardWorkload.Sample;
import dev.ferry.portfolio.report.PortfolioResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The proof under live load: the dashboard's own traffic (DashboardWorkload) runs against 12
 * positions, 100,000 signals and 500,000 price rows while Ferry takes the database through phase 1,
 * its rollback, phase 1 again and phase 2, at the default lock timeout (500 ms). Prints the figures
 * the README quotes: per phase, Ferry's time, the application's statements, failures, p99 and max
 * latency, and the lock waits Ferry retried.
 */
class PortfolioLiveLoadTest extends FerryTestSupport {

    private static final long LOCK_TIMEOUT_MS = 500;
    /**
     * The application's own time on this 2-core machine while Ferry builds indexes and validates
     * keys beside it: what a statement may take on top of the lock timeout it can wait behind Ferry.
     */
    private static final long OWN_TIME_MS = 400;

    private PortfolioResult run(TestDatabase dash, String command, boolean confirm) {
        return ferry.template().requestBodyAndHeaders("direct:portfolio", null,
                PortfolioMigration.headers(command, dash.url(), false, confirm), PortfolioResult.class);
    }

    @Test
    void theDashboardKeepsRunningThroughPhaseOneItsRollbackAndPhaseTwo() throws Exception {
        try (TestDatabase dash = new TestDatabase(getClass(), "live")) {
            try (Connection c = dash.connect()) {
                new DashboardDatabaseGenerator().signals(100_000).prices(500_000).create(c);
            }
            List<String> table = new ArrayList<>();
            List<Figures> figures = new ArrayList<>();
            DashboardWorkload app = new DashboardWorkload(dash.url(), TestDatabase.USER);
            try (app) {
                app.start();
                Thread.sleep(2_000);
                Figures before = app.figures("before");
                table.add(row("(application alone, 2 s)", null, before));

                // {phase, command, rollback's version, how the application writes during it}
                for (String[] step : new String[][] {{"phase 1", "phase1", null, "old"}, {"rollback from 2.0", "rollback", null, "old"},
                                                     {"phase 1 again", "phase1", null, "old"}, {"phase 2", "phase2", null, "aware"},
                                                     {"rollback 3.0 -> 2.0", "rollback", "2.0.0", "aware"}, {"rollback 2.0 -> 1.0", "rollback", null, "old"}}) {
                    boolean aware = step[3].equals("aware");
                    if (aware != app.isAware()) {
                        // the application switches its writes between Ferry's commands, as the check's next step says
                        app.phase("switch");
                        if (aware) {
                            app.portfolioAware();
                        } else {
                            app.singlePortfolio();
                        }
                        Thread.sleep(1_000);
                    }
                    app.phase(step[0]);
                    PortfolioResult r = ferry.template().requestBodyAndHeaders("direct:portfolio", null,
                            PortfolioMigration.headers(step[1], dash.url(), false, true, step[2]), PortfolioResult.class);
                    Thread.sleep(500);
                    Figures f = app.figures(step[0]);
                    figures.add(f);
                    table.add(row(step[0] + " (" + step[3] + ")", r, f));
                    assertThat(r.getErrors()).as(step[0]).isEmpty();
                    assertThat(r.getStatus()).as(step[0] + ": " + r.getValidation()).isEqualTo(PortfolioResult.Status.OK);
                    assertThat(r.getValidation()).as(step[0]).isNotEmpty().allMatch(PortfolioResult.Check::ok);
                    if (step[1].equals("phase2")) {
                        // at 3.0, every row the application wrote so far is there with its portfolio (what it has written
                        // is taken before the database is read, as it keeps writing)
                        Set<Long> signals = Set.copyOf(app.signalIds());
                        Set<Long> prices = Set.copyOf(app.priceIds());
                        Set<String> upserted = Set.copyOf(app.upserted());
                        assertThat(ids(dash, "trading_signals", "portfolio_id = 'DEFAULT'")).containsAll(signals);
                        assertThat(ids(dash, "price_history", "portfolio_id = 'DEFAULT'")).containsAll(prices);
                        for (String symbol : upserted) {
                            assertThat(dash.text("SELECT portfolio_id FROM portfolio_positions WHERE symbol = '" + symbol + "'")).as(symbol).isEqualTo("DEFAULT");
                        }
                    }
                }
                app.phase("after");
                Thread.sleep(500);
            }
            System.out.println("Portfolio migration under the dashboard's live load (12 positions, 100,000 signals, 500,000 prices; lock_timeout "
                    + LOCK_TIMEOUT_MS + " ms):\n" + String.join("\n", table));

            for (Figures f : figures) {
                assertThat(f.statements()).as(f.phase() + ": the application kept running").isGreaterThan(50);
                assertThat(f.failed()).as(f.phase() + ": failed application statements " + f.errors()).isZero();
                assertThat(f.maxMs()).as(f.phase() + ": the application's longest statement").isLessThan(LOCK_TIMEOUT_MS + OWN_TIME_MS);
            }
            // every row the application wrote during the migration is there (the portfolio ids were checked at each
            // phase by its validation, and 1.0 has none)
            assertThat(app.signalIds()).hasSizeGreaterThan(100);
            assertThat(ids(dash, "trading_signals", "true")).containsAll(app.signalIds());
            assertThat(ids(dash, "price_history", "true")).containsAll(app.priceIds());
            assertThat(app.upserted()).isNotEmpty();
            for (String symbol : app.upserted()) {
                assertThat(dash.count("SELECT count(*) FROM portfolio_positions WHERE symbol = '" + symbol + "'")).as(symbol).isEqualTo(1);
            }
            assertThat(dash.count("SELECT count(*) FROM trading_signals WHERE id <= 100000")).as("the seeded signals").isEqualTo(100_000);
            assertThat(dash.count("SELECT count(*) FROM price_history WHERE id <= 500000")).as("the seeded prices").isEqualTo(500_000);
            PortfolioResult check = run(dash, "check", false);
            assertThat(check.getVersion()).isEqualTo("1.0.0");
            assertThat(check.getHealth()).allMatch(PortfolioResult.Check::ok);
        }
    }

    private static String row(String phase, PortfolioResult r, Figures f) {
        return String.format("  %-26s ferry %6s ms | app statements %6d, failed %d, p99 %4d ms, max %4d ms | lock retries %s", phase,
                r == null ? "-" : String.valueOf(r.getDurationMillis()), f.statements(), f.failed(), f.p99Ms(), f.maxMs(),
                r == null ? "-" : String.valueOf(r.getLockRetries()));
    }

    private static Set<Long> ids(TestDatabase dash, String table, String where) throws Exception {
        try (Connection c = dash.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + table + " WHERE " + where)) {
            Set<Long> out = new HashSet<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        }
    }

    /**
     * A session holds ACCESS EXCLUSIVE on portfolio_positions for 3 s as phase 1 starts: phase 1
     * waits under lock_timeout, retries and succeeds, and no application statement waits behind
     * Ferry for longer than the lock timeout once the holder has let go.
     */
    @Test
    void phaseOneRetriesBehindAnExclusiveLockWithoutQueueingTheApplication() throws Exception {
        try (TestDatabase dash = new TestDatabase(getClass(), "hold")) {
            try (Connection c = dash.connect()) {
                new DashboardDatabaseGenerator().signals(20_000).prices(100_000).create(c);
            }
            assertThat(run(dash, "check", false).getVersion()).isEqualTo("1.0.0");
            CountDownLatch held = new CountDownLatch(1);
            long[] released = new long[1];
            Thread holder = new Thread(() -> {
                try (Connection c = dash.connect(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("LOCK TABLE portfolio_positions IN ACCESS EXCLUSIVE MODE");
                    held.countDown();
                    Thread.sleep(3_000);
                    released[0] = System.nanoTime();
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            PortfolioResult r;
            List<Sample> samples;
            try (DashboardWorkload app = new DashboardWorkload(dash.url(), TestDatabase.USER)) {
                app.start();
                Thread.sleep(500);
                holder.start();
                held.await();
                app.phase("phase 1");
                r = run(dash, "phase1", false);
                holder.join();
                Thread.sleep(500);
                app.phase("after");
                samples = app.samples("phase 1");
                System.out.println("Phase 1 behind a 3 s ACCESS EXCLUSIVE lock: " + r.getDurationMillis() + " ms, " + r.getLockRetries()
                        + " lock retries; application " + app.figures("phase 1"));
            }
            assertThat(r.getErrors()).isEmpty();
            assertThat(r.getVersion()).isEqualTo("2.0.0");
            assertThat(r.getLockRetries()).as("Ferry waited under lock_timeout and retried").isPositive();
            assertThat(r.getDurationMillis()).isGreaterThan(2_500);
            // what each statement waited beyond the holder's lock: at most the lock timeout behind Ferry, plus its own time
            long worst = samples.stream().mapToLong(s -> (s.end() - Math.max(s.start(), released[0])) / 1_000_000).max().orElseThrow();
            assertThat(worst).isLessThan(LOCK_TIMEOUT_MS + OWN_TIME_MS);
            assertThat(samples.stream().filter(s -> s.error() != null).map(Sample::error).collect(Collectors.toSet())).isEmpty();
            assertThat(samples.stream().filter(s -> s.start() > released[0])).as("the application ran on after the holder let go").hasSizeGreaterThan(20);
        }
    }
}
