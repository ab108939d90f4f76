package dev.ferry.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The Hong Kong equities dashboard's single-portfolio database (formats §4) as the dashboard's own
 * init.sql leaves it, with no Ferry history: the 12 positions it seeds, then signals and price
 * rows by symbol. Seeded and server-side (generate_series), so 500,000 price rows take seconds.
 */
public final class DashboardDatabaseGenerator {

    /** The dashboard's 12 seeded holdings: symbol, company, quantity, avg_cost, current_price, sector. */
    private static final Object[][] POSITIONS = {
        {"0005.HK", "HSBC Holdings plc", 13428, "38.500", "39.750", "Financials"},
        {"0316.HK", "Orient Overseas (International) Ltd", 100, "95.000", "98.600", "Industrials"},
        {"0388.HK", "Hong Kong Exchanges and Clearing Ltd", 300, "280.000", "294.200", "Financials"},
        {"0700.HK", "Tencent Holdings Ltd", 3100, "320.500", "338.800", "Communication Services"},
        {"0823.HK", "Link Real Estate Investment Trust", 1300, "42.000", "39.800", "Real Estate"},
        {"0857.HK", "PetroChina Company Ltd", 0, "0.000", "5.720", "Energy"},
        {"0939.HK", "China Construction Bank Corp", 26700, "5.200", "5.560", "Financials"},
        {"1810.HK", "Xiaomi Corporation", 2000, "12.800", "14.300", "Information Technology"},
        {"2269.HK", "WuXi Biologics (Cayman) Inc", 500, "25.000", "21.350", "Health Care"},
        {"2382.HK", "Sunny Optical Technology (Group) Co Ltd", 2100, "68.000", "72.450", "Information Technology"},
        {"3690.HK", "Meituan", 340, "95.000", "118.700", "Consumer Discretionary"},
        {"9988.HK", "Alibaba Group Holding Ltd", 2000, "85.000", "88.900", "Consumer Discretionary"},
    };

    private int signals = 1_000;
    private int prices = 5_000;

    public DashboardDatabaseGenerator signals(int n) {
        this.signals = n;
        return this;
    }

    public DashboardDatabaseGenerator prices(int n) {
        this.prices = n;
        return this;
    }

    public static int positions() {
        return POSITIONS.length;
    }

    /** Creates the 1.0 tables in the connection's schema and fills them. */
    public void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(initSql());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO portfolio_positions (symbol, company_name, quantity, avg_cost, current_price, sector) "
                + "VALUES (?, ?, ?, ?::numeric, ?::numeric, ?)")) {
            for (Object[] p : POSITIONS) {
                for (int i = 0; i < p.length; i++) {
                    ps.setObject(i + 1, p[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            // rows spread over the symbols in turn, prices near each symbol's current price, times a minute apart
            st.execute("SELECT setseed(0.42)");
            st.execute("""
                    INSERT INTO trading_signals (symbol, signal_type, signal_strength, price, volume, rsi, ma_5, ma_20, ma_50,
                                                 bollinger_upper, bollinger_lower, created_at)
                    SELECT p.symbol, (ARRAY['A','B','C','D'])[1 + g %% 4], round((random() * 0.99)::numeric, 2),
                           round((p.current_price * (0.9 + random() * 0.2))::numeric, 3), (random() * 1000000)::int,
                           round((random() * 100)::numeric, 2), p.current_price, p.current_price, p.current_price,
                           round(p.current_price * 1.05, 3), round(p.current_price * 0.95, 3),
                           timestamp '2025-01-02 09:30' + g * interval '1 minute'
                      FROM generate_series(1, %d) g
                      JOIN (SELECT symbol, current_price, row_number() OVER (ORDER BY symbol) - 1 AS k FROM portfolio_positions) p
                        ON p.k = g %% %d""".formatted(signals, POSITIONS.length));
            st.execute("""
                    INSERT INTO price_history (symbol, price, volume, high, low, open_price, close_price, "timestamp")
                    SELECT p.symbol, x.px, (random() * 5000000)::bigint, round(x.px * 1.01, 3), round(x.px * 0.99, 3), x.px, x.px,
                           timestamp '2024-01-02 09:30' + (g / %d) * interval '1 minute'
                      FROM generate_series(1, %d) g
                      JOIN (SELECT symbol, current_price, row_number() OVER (ORDER BY symbol) - 1 AS k FROM portfolio_positions) p
                        ON p.k = g %% %d
                     CROSS JOIN LATERAL (SELECT round((p.current_price * (0.8 + random() * 0.4))::numeric, 3) AS px) x"""
                    .formatted(POSITIONS.length, prices, POSITIONS.length));
            st.execute("INSERT INTO portfolio_analyses (name, start_date, end_date, user_notes, start_pv, end_pv, total_return) "
                    + "VALUES ('2024 review', '2024-01-02', '2024-12-31', 'the dashboard''s own analysis', 1000000, 1085000, 0.0850)");
            st.execute("INSERT INTO portfolio_value_history (analysis_id, trade_date, total_value, daily_change, top_contributors) "
                    + "SELECT 1, d::date, 1000000 + n * 340, 340, '{\"0700.HK\": 0.4}'::jsonb "
                    + "FROM generate_series(date '2024-01-02', date '2024-12-31', interval '1 day') WITH ORDINALITY AS t(d, n)");
            st.execute("ANALYZE");
        }
    }

    /** The dashboard's own schema (the project's 1.0 is exactly it), without Ferry's history. */
    static String initSql() {
        try (InputStream in = DashboardDatabaseGenerator.class.getResourceAsStream("/config/schema/portfolio/1.0.0__single_portfolio/up.sql")) {
            if (in == null) {
                throw new IllegalStateException("config/schema/portfolio/1.0.0__single_portfolio/up.sql is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
