package dev.ferry.bench.reliability;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.demo.DashboardDatabaseGenerator;

/**
 * What the portfolio flows share: the dashboard's database is the trial's (Ferry's bookkeeping lives beside it, in
 * its own schemas), and the read-back of its five tables, its catalog and what {@code ferry portfolio check} says.
 */
abstract class PortfolioFlows extends RerunFlow {

    private static final Pattern VERSION = Pattern.compile("version: (\\S+)");

    /** The three tables phase 1 gives a portfolio_id, with how many rows the dashboard has in each. */
    static final List<String> SYMBOL_TABLES = List.of("portfolio_positions", "trading_signals", "price_history");

    static final int SIGNALS = 40_000;
    static final int PRICES = 300_000;

    /** The dashboard's own 1.0 database, the same rows in every trial (the generator is seeded). */
    static void createDashboard(Trial trial) throws Exception {
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            new DashboardDatabaseGenerator().signals(SIGNALS).prices(PRICES).create(c);
        }
    }

    static List<String> command(Trial trial, String command, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("portfolio", command, "--target", trial.jdbcUrl()));
        args.addAll(List.of(more));
        return args;
    }

    /** The share of {@code steps} (queries answering true or false) that answer true. */
    static double share(Trial trial, List<String> steps) throws Exception {
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            int done = 0;
            for (String step : steps) {
                try {
                    if ("t".equals(FlowSupport.text(c, "SELECT (" + step + ")::boolean"))) {
                        done++;
                    }
                } catch (SQLException e) {
                    // ferry_schema is not there before Ferry's first run on the database: that step is not done
                }
            }
            return (double) done / steps.size();
        }
    }

    /** Phase 1's objects, each a query that holds once it is there. */
    static final List<String> PHASE1_STEPS = List.of(
            "to_regclass('public.portfolios') IS NOT NULL",
            "EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'portfolio_positions' AND column_name = 'portfolio_id')",
            "EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'trading_signals' AND column_name = 'portfolio_id')",
            "EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'price_history' AND column_name = 'portfolio_id')",
            "to_regclass('public.portfolio_positions_portfolio_symbol_key') IS NOT NULL",
            "to_regclass('public.idx_trading_signals_portfolio_symbol') IS NOT NULL",
            "to_regclass('public.idx_price_history_portfolio_symbol') IS NOT NULL",
            "to_regclass('public.portfolio_summary') IS NOT NULL",
            "EXISTS (SELECT 1 FROM ferry_schema.applied WHERE project = 'portfolio' AND version = '2.0.0')");

    @Override
    public Outcome outcome(Trial trial) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        long read = 0;
        long withPortfolio = 0;
        long withoutPortfolio = 0;
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            // the values, without the serial ids and the times the dashboard's defaults set when prepare ran
            FlowSupport.digest(c, "portfolio_positions", FlowSupport.rowsWithout("portfolio_positions", "id", "last_updated"), rows, digests);
            FlowSupport.digest(c, "trading_signals", FlowSupport.rowsWithout("trading_signals", "id"), rows, digests);
            FlowSupport.digest(c, "price_history", FlowSupport.rowsWithout("price_history", "id"), rows, digests);
            FlowSupport.digest(c, "portfolio_analyses", FlowSupport.rowsWithout("portfolio_analyses", "id", "created_at"), rows, digests);
            FlowSupport.digest(c, "portfolio_value_history", FlowSupport.rowsWithout("portfolio_value_history", "id", "analysis_id", "created_at"),
                    rows, digests);
            if (FlowSupport.exists(c, "public.portfolios")) {
                FlowSupport.digest(c, "portfolios", FlowSupport.rowsWithout("portfolios", "id", "created_at", "updated_at"), rows, digests);
            }
            FlowSupport.digest(c, "catalog public", FlowSupport.catalogRows("public"), rows, digests);
            digests.put("runs left running", Long.toString(FlowSupport.running(c, "portfolio")));
            for (String t : SYMBOL_TABLES) {
                read += FlowSupport.count(c, "SELECT count(*) FROM " + t);
                if (FlowSupport.text(c, "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '" + t
                        + "' AND column_name = 'portfolio_id'") != null) {
                    withPortfolio += FlowSupport.count(c, "SELECT count(*) FROM " + t + " WHERE portfolio_id IS NOT NULL");
                    withoutPortfolio += FlowSupport.count(c, "SELECT count(*) FROM " + t + " WHERE portfolio_id IS NULL");
                } else {
                    withoutPortfolio += FlowSupport.count(c, "SELECT count(*) FROM " + t);
                }
            }
        }
        FlowSupport.Run check = FlowSupport.ferry(trial, "outcome-check", 300, command(trial, "check"));
        Matcher m = VERSION.matcher(check.output());
        digests.put("ferry portfolio check", "exit " + check.exitCode() + ", version " + (m.find() ? m.group(1) : "not shown"));
        // Ferry's portfolio runs count no records; what is counted here is the rows of the three symbol tables,
        // with a portfolio (loaded) or without one (other)
        return new Outcome(rows, digests, read, withPortfolio, 0, 0, withoutPortfolio);
    }
}
