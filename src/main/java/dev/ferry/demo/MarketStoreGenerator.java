package dev.ferry.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;

/**
 * A SQLite market-data store shaped like the quant platform's: 12 related tables,
 * most of the rows OHLCV bars, 0/1 flags and text dates throughout, legacy bars
 * without a region, etf_holdings.rank, and four empty tables. It has the table kinds
 * real stores have: defaults that are expressions (CURRENT_TIMESTAMP, datetime('now')),
 * AUTOINCREMENT, a WITHOUT ROWID table, VIRTUAL and STORED generated columns, and it is
 * left in WAL mode, as an application that writes it keeps it. Scaled by the OHLCV row
 * count (926,325 for the real store's size); seeded, so the same file every time.
 */
public final class MarketStoreGenerator {

    public static final int REAL_OHLCV_ROWS = 926_325;
    private static final String[] REGIONS = {"US", "IN", "UK", "DE", "JP", "HK"};
    private static final String[] SECTORS = {"Technology", "Financials", "Energy", "Health Care", "Industrials", "Utilities"};

    private int ohlcvRows = REAL_OHLCV_ROWS;
    private long seed = 1;

    public MarketStoreGenerator ohlcvRows(int rows) {
        this.ohlcvRows = rows;
        return this;
    }

    public MarketStoreGenerator seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Counts scale with the OHLCV rows; at full size they are the real store's. */
    private int scaled(int full) {
        return Math.max(1, (int) Math.round((double) full * ohlcvRows / REAL_OHLCV_ROWS));
    }

    public Path write(Path file) throws SQLException, java.io.IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Random rnd = new Random(seed);
        int tickers = scaled(18_661);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = OFF");
                st.execute("PRAGMA synchronous = OFF");
                for (String ddl : DDL) {
                    st.execute(ddl);
                }
            }
            c.setAutoCommit(false);
            LocalDateTime base = LocalDateTime.of(2024, 1, 2, 16, 0);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickers (id, symbol, name, region, sector, is_active, is_etf, created_at, last_updated, listed_epoch)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= tickers; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, symbol(i));
                    ps.setString(3, "Company " + i);
                    ps.setString(4, REGIONS[i % REGIONS.length]);
                    ps.setString(5, SECTORS[rnd.nextInt(SECTORS.length)]);
                    ps.setInt(6, rnd.nextInt(20) == 0 ? 0 : 1);
                    ps.setInt(7, i % 18 == 0 ? 1 : 0);
                    ps.setString(8, base.minusDays(rnd.nextInt(2000)).toString().replace('T', ' '));
                    ps.setString(9, base.plusDays(rnd.nextInt(300)).toString().replace('T', ' '));
                    ps.setLong(10, 1_700_000_000L + rnd.nextInt(30_000_000));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stock_details VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                int n = scaled(20_000);
                for (int i = 1; i <= n; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, 1 + (i - 1) % tickers);
                    ps.setDouble(3, Math.round(rnd.nextDouble() * 1e12) / 100.0);
                    ps.setDouble(4, Math.round(rnd.nextDouble() * 6000) / 100.0);
                    ps.setDouble(5, Math.round(rnd.nextDouble() * 800) / 10000.0);
                    ps.setString(6, "Makes and sells things; listed since " + (1980 + rnd.nextInt(40)));
                    ps.setInt(7, rnd.nextInt(3) == 0 ? 0 : 1);
                    ps.setString(8, base.plusDays(rnd.nextInt(300)).toString().replace('T', ' '));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            int etfs = scaled(1_029);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO etf_details VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= etfs; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, 1 + (i * 18 - 1) % tickers);
                    ps.setDouble(3, Math.round(rnd.nextDouble() * 100) / 10000.0);
                    ps.setDouble(4, Math.round(rnd.nextDouble() * 1e11) / 100.0);
                    ps.setString(5, LocalDate.of(1995, 1, 1).plusDays(rnd.nextInt(10_000)).toString());
                    ps.setInt(6, rnd.nextInt(10) == 0 ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO etf_holdings VALUES (1, 1, 'AAPL', 7.12, 1), (2, 1, 'MSFT', 6.5, 2), (3, 1, 'NVDA', 6.25, 3)");
                st.execute("INSERT INTO global_market_indices VALUES (1, '^GSPC', 'S&P 500', 'US', 5870.62, '2025-10-28 16:00:00'),"
                        + " (2, '^NSEI', 'Nifty 50', 'IN', 25936.2, '2025-10-28 15:30:00'), (3, '^FTSE', 'FTSE 100', 'UK', 9696.74, '2025-10-28 16:30:00'),"
                        + " (4, '^GDAXI', 'DAX', 'DE', 24278.63, '2025-10-28 17:30:00'), (5, '^N225', 'Nikkei 225', 'JP', 50219.18, '2025-10-28 15:00:00'),"
                        + " (6, '^HSI', 'Hang Seng', 'HK', 26346.14, '2025-10-28 16:10:00')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO exchange_rate_history (id, base, quote, rate, date) VALUES (?, ?, ?, ?, ?)")) {
                String[] quotes = {"INR", "EUR", "GBP", "JPY", "HKD"};
                double[] rates = {88.2, 0.858, 0.751, 152.3, 7.77};
                int days = Math.max(1, scaled(6_000));
                int id = 1;
                for (int q = 0; q < quotes.length; q++) {
                    double rate = rates[q];
                    for (int d = 0; d < days; d++) {
                        rate = Math.round(rate * (1 + (rnd.nextDouble() - 0.5) / 200) * 10_000) / 10_000.0;
                        ps.setInt(1, id++);
                        ps.setString(2, "USD");
                        ps.setString(3, quotes[q]);
                        ps.setDouble(4, rate);
                        ps.setString(5, LocalDate.of(2009, 1, 1).plusDays(d).toString());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticker_fundamentals VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= scaled(238); i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, i);
                    ps.setDouble(3, Math.round(rnd.nextDouble() * 1e11) / 100.0);
                    ps.setDouble(4, Math.round(rnd.nextDouble() * 5000) / 100.0);
                    int month = 1 + rnd.nextInt(9);
                    // a quarter's last day where the month has a 30th (February has not: Ferry rightly refuses 2025-02-30)
                    ps.setString(5, "2025-0" + month + (month == 2 ? "-28" : "-30"));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            writeOhlcv(c, rnd, tickers);
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL"); // as the application leaves it: WAL lets its readers run beside its writer
            }
        }
        return file;
    }

    /**
     * 250 daily bars per ticker, ticker after ticker. About 1% of the bars have no region:
     * legacy bars of US tickers, which the mapping's fill-in gives 'US' again.
     */
    private void writeOhlcv(Connection c, Random rnd, int tickers) throws SQLException {
        LocalDate first = LocalDate.of(2024, 1, 1);
        String[] dates = new String[250];
        for (int d = 0; d < dates.length; d++) {
            dates[d] = first.plusDays(d).toString();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ohlcv_data (id, ticker, region, timeframe, date, open, high, low, close, volume, is_adjusted, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            double price = 100;
            for (int i = 0; i < ohlcvRows; i++) {
                int t = 1 + (i / dates.length) % tickers;
                String region = REGIONS[t % REGIONS.length];
                if (i % dates.length == 0) {
                    price = 5 + rnd.nextInt(2000);
                }
                double open = price;
                double close = Math.max(1, Math.round(open * (1 + (rnd.nextDouble() - 0.5) / 25) * 100) / 100.0);
                ps.setInt(1, i + 1);
                ps.setString(2, symbol(t));
                if (region.equals("US") && rnd.nextInt(100) < 6) {
                    ps.setNull(3, java.sql.Types.VARCHAR);
                } else {
                    ps.setString(3, region);
                }
                ps.setString(4, "1d");
                ps.setString(5, dates[i % dates.length]);
                ps.setDouble(6, open);
                ps.setDouble(7, Math.round(Math.max(open, close) * 1.01 * 100) / 100.0);
                ps.setDouble(8, Math.round(Math.min(open, close) * 0.99 * 100) / 100.0);
                ps.setDouble(9, close);
                ps.setLong(10, 1000 + rnd.nextInt(5_000_000));
                ps.setInt(11, rnd.nextInt(50) == 0 ? 1 : 0);
                ps.setString(12, dates[i % dates.length] + " 16:05:00"); // as the default would have stamped it, but the same every time
                ps.addBatch();
                price = close;
                if (i % 10_000 == 9_999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static String symbol(int i) {
        StringBuilder sb = new StringBuilder();
        for (int n = i; n > 0; n = (n - 1) / 26) {
            sb.append((char) ('A' + (n - 1) % 26));
        }
        return sb.reverse().toString();
    }

    private static final String[] DDL = {
        "CREATE TABLE tickers (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, name TEXT, region TEXT NOT NULL, sector TEXT,"
            + " is_active INTEGER NOT NULL DEFAULT 1, is_etf INTEGER NOT NULL DEFAULT 0, created_at TEXT, last_updated TEXT,"
            + " listed_epoch INTEGER, listing TEXT GENERATED ALWAYS AS (symbol || '.' || region) STORED, UNIQUE (symbol, region))",
        "CREATE TABLE stock_details (id INTEGER PRIMARY KEY AUTOINCREMENT, ticker_id INTEGER NOT NULL REFERENCES tickers(id), market_cap REAL,"
            + " pe_ratio REAL, dividend_yield double precision, description TEXT, is_profitable INTEGER, updated_at TEXT DEFAULT (datetime('now')))",
        "CREATE TABLE etf_details (id INTEGER PRIMARY KEY, ticker_id INTEGER NOT NULL REFERENCES tickers(id), expense_ratio REAL,"
            + " aum REAL, inception_date TEXT, is_leveraged INTEGER)",
        "CREATE TABLE etf_holdings (id INTEGER PRIMARY KEY, etf_id INTEGER NOT NULL REFERENCES etf_details(id), holding_symbol TEXT,"
            + " weight REAL, rank INTEGER)",
        "CREATE TABLE ohlcv_data (id INTEGER PRIMARY KEY, ticker TEXT NOT NULL, region TEXT, timeframe TEXT NOT NULL, date TEXT NOT NULL,"
            + " open REAL, high REAL, low REAL, close REAL, volume INTEGER, is_adjusted INTEGER,"
            + " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, day_range REAL GENERATED ALWAYS AS (high - low) VIRTUAL,"
            + " UNIQUE (ticker, region, timeframe, date))",
        "CREATE INDEX ohlcv_data_date_idx ON ohlcv_data (date)",
        "CREATE TABLE ticker_fundamentals (id INTEGER PRIMARY KEY, ticker_id INTEGER NOT NULL REFERENCES tickers(id), revenue REAL,"
            + " eps REAL, fiscal_date TEXT)",
        "CREATE TABLE global_market_indices (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE, name TEXT, region TEXT,"
            + " last_value REAL, updated_at TEXT)",
        "CREATE TABLE exchange_rate_history (id INTEGER NOT NULL UNIQUE, base TEXT NOT NULL, quote TEXT NOT NULL, rate REAL, date TEXT NOT NULL,"
            + " PRIMARY KEY (base, quote, date)) WITHOUT ROWID",
        "CREATE TABLE technical_analysis (id INTEGER PRIMARY KEY, ticker_id INTEGER REFERENCES tickers(id), indicator TEXT,"
            + " value REAL, computed_at TEXT)",
        "CREATE TABLE trades (id INTEGER PRIMARY KEY, ticker_id INTEGER REFERENCES tickers(id), side TEXT, qty REAL, price REAL,"
            + " executed_at TEXT, is_paper INTEGER)",
        "CREATE TABLE portfolio (id INTEGER PRIMARY KEY, ticker_id INTEGER REFERENCES tickers(id), qty REAL, avg_price REAL,"
            + " updated_at TEXT)",
        "CREATE TABLE market_sentiment (id INTEGER PRIMARY KEY, ticker_id INTEGER REFERENCES tickers(id), score REAL,"
            + " payload_json TEXT, created_at TEXT)"
    };
}
