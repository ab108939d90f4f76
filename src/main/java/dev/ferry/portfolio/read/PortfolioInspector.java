package dev.ferry.portfolio.read;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.ferry.core.db.Sql;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.project.Version;
import dev.ferry.portfolio.report.PortfolioResult.Check;

/**
 * What the dashboard's database holds, read from its catalog and rows: whether it is the
 * single-portfolio 1.0 (for a database that never saw Ferry), its features, its health and what
 * would stop phase 2. Read-only: every query here is a plain SELECT.
 */
public final class PortfolioInspector {

    public static final List<String> SYMBOL_TABLES = List.of("portfolio_positions", "trading_signals", "price_history");
    public static final List<String> BASE_TABLES = List.of("portfolio_positions", "trading_signals", "price_history", "portfolio_analyses",
            "portfolio_value_history");
    private static final int LISTED = 20;

    private PortfolioInspector() {
    }

    /** The baseline detector: the dashboard's own 1.0, recognised by its tables and keys, and nothing of 2.0. */
    public static SchemaEngine.Baseline baseline() {
        return c -> {
            Set<String> tables = tables(c);
            List<String> missing = BASE_TABLES.stream().filter(t -> !tables.contains(t)).toList();
            if (!missing.isEmpty() || anyPortfolioId(c) || !constraintExists(c, "portfolio_positions_symbol_key", "u")) {
                return Optional.empty();
            }
            return Optional.of(new SchemaEngine.Detected(Version.parse("1.0.0"),
                    "the dashboard's five tables are there, portfolio_positions is keyed by UNIQUE (symbol) and no table has a portfolio_id"
                    + (tables.contains("portfolios") ? " (a portfolios table is there already: phase 1 keeps it, and its oldest portfolio is the default)" : "")));
        };
    }

    /** Why the catalog is not the dashboard's 1.0, for a database with no history: what is missing or already there. */
    public static String unrecognised(Connection c) throws SQLException {
        Set<String> tables = tables(c);
        List<String> missing = BASE_TABLES.stream().filter(t -> !tables.contains(t)).toList();
        if (missing.size() == BASE_TABLES.size()) {
            return "none of the dashboard's tables is in schema " + schema(c) + " (" + String.join(", ", BASE_TABLES) + ")";
        }
        if (!missing.isEmpty()) {
            return "the dashboard's tables " + missing + " are missing";
        }
        if (anyPortfolioId(c)) {
            return "it already has a portfolio_id, but no Ferry history says how it got there (its own scripts, or a hand change): "
                    + "Ferry does not guess a version from that";
        }
        return "portfolio_positions has no UNIQUE (symbol) constraint named portfolio_positions_symbol_key";
    }

    /** Multi-portfolio, backward compatible, constraints: what the application can rely on now. */
    public static List<Check> features(Connection c) throws SQLException {
        Set<String> tables = tables(c);
        boolean portfolioIds = tables.contains("portfolio_positions") && allPortfolioIds(c);
        List<Check> out = new ArrayList<>();
        out.add(new Check("multi-portfolio", tables.contains("portfolios") && portfolioIds,
                tables.contains("portfolios") ? (portfolioIds ? "portfolios, and portfolio_id on " + String.join(", ", SYMBOL_TABLES)
                        : "portfolios exists, but not every symbol table has portfolio_id") : "no portfolios table"));
        boolean symbolKey = constraintExists(c, "portfolio_positions_symbol_key", "u");
        out.add(new Check("backward compatible", symbolKey, symbolKey
                ? "UNIQUE (symbol) is there: the single-portfolio application's ON CONFLICT (symbol) works"
                : "no UNIQUE (symbol): the single-portfolio application's ON CONFLICT (symbol) fails"));
        long notNull = portfolioIds ? Sql.number(c, "SELECT count(*) FROM pg_attribute WHERE attname = 'portfolio_id' AND attnotnull AND attrelid IN "
                + "('portfolio_positions'::regclass, 'trading_signals'::regclass, 'price_history'::regclass)") : 0;
        long keys = Sql.number(c, "SELECT count(*) FROM pg_constraint WHERE convalidated AND conname IN ('portfolio_positions_portfolio_symbol_key', "
                + "'portfolio_positions_portfolio_fk', 'trading_signals_position_fk', 'price_history_position_fk')");
        out.add(new Check("constraints", notNull == 3 && keys == 4, notNull + " of 3 portfolio_id columns NOT NULL, " + keys
                + " of 4 portfolio keys (unique per portfolio and symbol, to portfolios, from signals and prices) validated"));
        return out;
    }

    /** NULL ids, orphans, duplicate symbols per portfolio, invalid indexes, locks held by other sessions. */
    public static List<Check> health(Connection c, List<String> blockers) throws SQLException {
        List<Check> out = new ArrayList<>();
        Set<String> tables = tables(c);
        if (!tables.contains("portfolio_positions")) {
            out.add(new Check("dashboard tables", false, unrecognised(c)));
            return out;
        }
        if (allPortfolioIds(c)) {
            for (String t : SYMBOL_TABLES) {
                List<String> rows = ids(c, "SELECT id FROM " + t + " WHERE portfolio_id IS NULL ORDER BY id");
                out.add(new Check("NULL portfolio_id in " + t, rows.isEmpty(), rows.isEmpty() ? "none" : listed(rows, "row id")));
                if (!rows.isEmpty()) {
                    blockers.add(t + ": " + listed(rows, "row id") + " have no portfolio_id (NOT NULL would fail)");
                }
            }
            if (tables.contains("portfolios")) {
                List<String> lost = ids(c, "SELECT pp.id || ' (' || pp.symbol || ', portfolio ' || pp.portfolio_id || ')' FROM portfolio_positions pp "
                        + "WHERE pp.portfolio_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM portfolios pf WHERE pf.portfolio_id = pp.portfolio_id) ORDER BY pp.id");
                out.add(new Check("positions of no portfolio", lost.isEmpty(), lost.isEmpty() ? "none" : listed(lost, "position")));
                if (!lost.isEmpty()) {
                    blockers.add("portfolio_positions: " + listed(lost, "position") + " name a portfolio that portfolios does not have");
                }
            }
            for (String t : List.of("trading_signals", "price_history")) {
                List<String> orphans = ids(c, "SELECT x.id || ' (' || x.symbol || ', portfolio ' || x.portfolio_id || ')' FROM " + t + " x "
                        + "WHERE x.portfolio_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM portfolio_positions p WHERE p.portfolio_id = x.portfolio_id "
                        + "AND p.symbol = x.symbol) ORDER BY x.id");
                out.add(new Check("orphans in " + t, orphans.isEmpty(), orphans.isEmpty() ? "none" : listed(orphans, "row")));
                if (!orphans.isEmpty()) {
                    blockers.add(t + ": " + listed(orphans, "row") + " have no position of that symbol in that portfolio");
                }
            }
            List<String> dup = ids(c, "SELECT portfolio_id || '/' || symbol || ' x' || count(*) FROM portfolio_positions GROUP BY portfolio_id, symbol "
                    + "HAVING count(*) > 1 ORDER BY 1");
            out.add(new Check("duplicate symbols per portfolio", dup.isEmpty(), dup.isEmpty() ? "none" : listed(dup, "portfolio/symbol")));
            if (!dup.isEmpty()) {
                blockers.add("portfolio_positions: " + listed(dup, "portfolio/symbol") + " are held more than once");
            }
        }
        List<String> invalid = ids(c, "SELECT i.indexrelid::regclass::text || ' on ' || i.indrelid::regclass::text FROM pg_index i "
                + "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE NOT i.indisvalid AND n.nspname = current_schema() ORDER BY 1");
        out.add(new Check("invalid indexes", invalid.isEmpty(), invalid.isEmpty() ? "none" : listed(invalid, "index")
                + " (a CONCURRENTLY build that failed; Ferry drops and rebuilds its own)"));
        List<String> locks = locks(c);
        out.add(new Check("locks held by other sessions", locks.stream().noneMatch(l -> l.contains("AccessExclusive") || l.contains("waiting")),
                locks.isEmpty() ? "none on the dashboard's tables" : String.join("; ", locks)));
        return out;
    }

    /** The other sessions' locks on the dashboard's tables: who, which mode, granted or waiting, for how long. */
    public static List<String> locks(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT l.pid, l.relation::regclass::text, l.mode, l.granted, coalesce(a.state, '?'),
                       round(extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::numeric, 1)
                  FROM pg_locks l JOIN pg_class t ON t.oid = l.relation JOIN pg_namespace n ON n.oid = t.relnamespace
                  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.pid <> pg_backend_pid() AND n.nspname = current_schema() AND t.relkind = 'r'
                   AND t.relname IN ('portfolio_positions', 'trading_signals', 'price_history', 'portfolios')
                 ORDER BY l.granted, 6 DESC NULLS LAST LIMIT 20""")) {
            while (rs.next()) {
                out.add("pid " + rs.getInt(1) + " " + (rs.getBoolean(4) ? "holds " : "waiting for ") + rs.getString(3) + " on " + rs.getString(2)
                        + " (" + rs.getString(5) + ", transaction " + rs.getString(6) + " s old)");
            }
        }
        return out;
    }

    /** The backup schemas earlier phases left, newest first. */
    public static List<String> backups(Connection c) throws SQLException {
        return ids(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ferry\\_backup\\_%' ORDER BY oid DESC");
    }

    public static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static boolean anyPortfolioId(Connection c) throws SQLException {
        for (String t : SYMBOL_TABLES) {
            if (hasColumn(c, t, "portfolio_id")) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
                table, column);
    }

    private static boolean allPortfolioIds(Connection c) throws SQLException {
        for (String t : SYMBOL_TABLES) {
            if (!hasColumn(c, t, "portfolio_id")) {
                return false;
            }
        }
        return true;
    }

    static boolean constraintExists(Connection c, String name, String type) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                + "WHERE n.nspname = current_schema() AND k.conname = ? AND k.contype = ?", name, type);
    }

    private static String schema(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The first column of every row, at most LISTED + 1 of them (the extra says there are more). */
    private static List<String> ids(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.setMaxRows(LISTED + 1);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String listed(List<String> rows, String what) {
        boolean more = rows.size() > LISTED;
        List<String> shown = more ? rows.subList(0, LISTED) : rows;
        return (more ? "more than " + LISTED : String.valueOf(rows.size())) + " " + what + (rows.size() == 1 ? "" : "s") + " " + shown
                + (more ? " …" : "");
    }
}
