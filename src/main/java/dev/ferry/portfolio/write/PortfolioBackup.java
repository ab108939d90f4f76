package dev.ferry.portfolio.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.db.Sql;
import dev.ferry.core.schema.OnlinePolicy;
import dev.ferry.portfolio.read.PortfolioInspector;

/**
 * A copy of the tables a phase changes, inside PostgreSQL (schema ferry_backup_RUN), taken from
 * one snapshot before the phase starts. It only reads the live tables, under lock_timeout, so it
 * never holds the application up either. Ferry never drops it: the operator does, when sure.
 */
public final class PortfolioBackup {

    private static final List<String> TABLES = List.of("portfolios", "portfolio_positions", "trading_signals", "price_history");

    private PortfolioBackup() {
    }

    public static String schemaFor(long runId) {
        return "ferry_backup_" + runId;
    }

    /** The copies' row counts per table. */
    public static Map<String, Long> take(Connection c, OnlinePolicy online, String schema, String why) throws SQLException {
        return online.inTransaction(c, tx -> {
            Map<String, Long> rows = new LinkedHashMap<>();
            try (Statement st = tx.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                st.execute("CREATE SCHEMA " + schema);
                st.execute("COMMENT ON SCHEMA " + schema + " IS '" + why.replace("'", "''") + "'");
                for (String t : TABLES) {
                    if (!PortfolioInspector.tables(tx).contains(t)) {
                        continue;
                    }
                    rows.put(t, (long) st.executeUpdate("CREATE TABLE " + schema + "." + t + " AS SELECT * FROM " + t));
                }
            }
            return rows;
        });
    }

    /** Rows of the backup that the live table no longer has, by id (0 when nothing was lost). */
    public static long missing(Connection c, String schema, String table, String key) throws SQLException {
        return Sql.number(c, "SELECT count(*) FROM " + schema + "." + table + " b WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE t." + key
                + " = b." + key + ")");
    }
}
