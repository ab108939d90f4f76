package dev.ferry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A fresh database on the real PostgreSQL server (127.0.0.1:5432, trust auth) for
 * one test class. FERRY_TEST_DB_BASE_URL points elsewhere if needed.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String SERVER = System.getenv().getOrDefault("FERRY_TEST_DB_SERVER", "jdbc:postgresql://127.0.0.1:5432/");
    public static final String USER = System.getenv().getOrDefault("FERRY_TEST_DB_USER", "postgres");

    private final String name;

    public TestDatabase(Class<?> owner) {
        this(owner, null);
    }

    /** A second (third, ...) database of the same test class, e.g. a source beside the target. */
    public TestDatabase(Class<?> owner, String suffix) {
        this.name = ("ferry_t_" + owner.getSimpleName() + (suffix == null ? "" : "_" + suffix)).toLowerCase(Locale.ROOT);
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
    }

    private TestDatabase(String name) {
        this.name = name;
    }

    /** A database something else created under this name (the demo's v3); dropped when closed. */
    public static TestDatabase existing(String name) {
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public String text(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Empties the platform's order, fill and position tables and Ferry's bookkeeping; users stay. */
    public void emptyTables() {
        execute("""
                TRUNCATE trading.positions, trading.fills, trading.orders, ferry.position_changes, ferry.record_keys,
                         ferry.processed_files, ferry.rejects, ferry.duplicates, ferry.sqlite_changes, ferry.sqlite_rejects,
                         ferry.sqlite_tables, ferry.runs""");
    }

    /**
     * A digest of the platform tables' content that a user would compare: every column
     * but generated ids, lineage and the server-set timestamps, in a stable order.
     */
    public String contentDigest() {
        return text("""
                SELECT md5(coalesce((SELECT string_agg(t, E'\\n' ORDER BY t) FROM (
                    SELECT concat_ws('|', 'o', o.user_id, o.symbol, o.side, o.order_type, o.quantity, o.price, o.avg_price,
                                     o.status, o.placed_at, o.filled_at, o.closed_at, o.orig_source, o.order_id,
                                     o.broker_order_id, o.metadata::text) AS t FROM trading.orders o
                    UNION ALL
                    SELECT concat_ws('|', 'f', f.user_id, o.symbol, o.side, f.quantity, f.price, f.fill_value, f.charges,
                                     f.filled_at, f.metadata::text) FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id
                    UNION ALL
                    SELECT concat_ws('|', 'p', p.user_id, p.symbol, p.quantity, p.avg_price, p.unrealized_pnl, p.opened_at,
                                     p.closed_at, p.metadata::text) FROM trading.positions p
                ) rows), ''))""");
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
