package dev.ferry.portfolio;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running dashboard, as its statements reach PostgreSQL: one thread each upserts positions,
 * updates them by symbol, inserts signals, inserts prices and reads positions with their generated
 * columns, every few milliseconds, each statement on its own (autocommit) as the application does.
 * Single-portfolio writes (ON CONFLICT (symbol), no portfolio_id) until {@link #portfolioAware()};
 * after it, the writes a multi-portfolio application makes, until {@link #singlePortfolio()}. Every statement's start, end and
 * failure is kept per phase, and the ids of the rows it wrote are kept for the check afterwards.
 */
final class DashboardWorkload implements AutoCloseable {

    /** One statement: when it started and ended (System.nanoTime), and its error if it failed. */
    record Sample(String phase, String kind, long start, long end, String error) {
        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    /** What a phase saw: statements, failures, p99 and max latency. */
    record Figures(String phase, long statements, long failed, long p99Ms, long maxMs, List<String> errors) {
    }

    static final List<String> SEEDED = List.of("0005.HK", "0316.HK", "0388.HK", "0700.HK", "0823.HK", "0857.HK", "0939.HK", "1810.HK",
            "2269.HK", "2382.HK", "3690.HK", "9988.HK");
    /** Symbols the application adds while the migration runs. */
    static final List<String> NEW = List.of("0001.HK", "0002.HK", "0003.HK", "0006.HK", "0011.HK", "0012.HK", "0016.HK", "0027.HK");

    private final String url;
    private final String user;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Set<Long> signalIds = ConcurrentHashMap.newKeySet();
    private final Set<Long> priceIds = ConcurrentHashMap.newKeySet();
    private final Set<String> upserted = ConcurrentHashMap.newKeySet();
    private volatile String phase = "before";
    private volatile boolean aware;

    DashboardWorkload(String url, String user) {
        this.url = url;
        this.user = user;
    }

    void start() {
        worker("upsert", c -> {
            String symbol = pick(ThreadLocalRandom.current().nextBoolean() ? SEEDED : NEW);
            try (PreparedStatement ps = c.prepareStatement(aware
                    ? "INSERT INTO portfolio_positions (portfolio_id, symbol, company_name, quantity, avg_cost, current_price, sector) "
                      + "VALUES ('DEFAULT', ?, ?, ?, ?, ?, 'Live') ON CONFLICT (portfolio_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity, "
                      + "current_price = EXCLUDED.current_price, last_updated = CURRENT_TIMESTAMP"
                    : "INSERT INTO portfolio_positions (symbol, company_name, quantity, avg_cost, current_price, sector) VALUES (?, ?, ?, ?, ?, 'Live') "
                      + "ON CONFLICT (symbol) DO UPDATE SET quantity = EXCLUDED.quantity, current_price = EXCLUDED.current_price, "
                      + "last_updated = CURRENT_TIMESTAMP")) {
                ps.setString(1, symbol);
                ps.setString(2, "Company " + symbol);
                ps.setInt(3, 100 + ThreadLocalRandom.current().nextInt(1000));
                ps.setBigDecimal(4, new java.math.BigDecimal("10.000"));
                ps.setBigDecimal(5, price());
                ps.executeUpdate();
            }
            if (NEW.contains(symbol)) {
                upserted.add(symbol);
            }
        });
        worker("update", c -> {
            try (PreparedStatement ps = c.prepareStatement(aware
                    ? "UPDATE portfolio_positions SET current_price = ?, last_updated = CURRENT_TIMESTAMP WHERE portfolio_id = 'DEFAULT' AND symbol = ?"
                    : "UPDATE portfolio_positions SET current_price = ?, last_updated = CURRENT_TIMESTAMP WHERE symbol = ?")) {
                ps.setBigDecimal(1, price());
                ps.setString(2, pick(SEEDED));
                ps.executeUpdate();
            }
        });
        worker("signal", c -> {
            try (PreparedStatement ps = c.prepareStatement(aware
                    ? "INSERT INTO trading_signals (portfolio_id, symbol, signal_type, signal_strength, price, volume, rsi) "
                      + "VALUES ('DEFAULT', ?, 'B', 0.55, ?, 1000, 48.5) RETURNING id"
                    : "INSERT INTO trading_signals (symbol, signal_type, signal_strength, price, volume, rsi) VALUES (?, 'A', 0.75, ?, 1000, 51.2) RETURNING id")) {
                ps.setString(1, pick(SEEDED));
                ps.setBigDecimal(2, price());
                signalIds.add(insertedId(ps));
            }
        });
        worker("price", c -> {
            try (PreparedStatement ps = c.prepareStatement(aware
                    ? "INSERT INTO price_history (portfolio_id, symbol, price, volume, high, low, open_price, close_price) "
                      + "VALUES ('DEFAULT', ?, ?, 5000, ?, ?, ?, ?) RETURNING id"
                    : "INSERT INTO price_history (symbol, price, volume, high, low, open_price, close_price) VALUES (?, ?, 5000, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, pick(SEEDED));
                for (int i = 2; i <= 6; i++) {
                    ps.setBigDecimal(i, price());
                }
                priceIds.add(insertedId(ps));
            }
        });
        worker("read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT symbol, quantity, current_price, market_value, unrealized_pnl FROM portfolio_positions "
                    + "ORDER BY symbol"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getBigDecimal(4);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Statement {
        void run(Connection c) throws SQLException;
    }

    private void worker(String kind, Statement statement) {
        Thread t = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                while (!stop.get()) {
                    String at = phase;
                    long t0 = System.nanoTime();
                    String error = null;
                    try {
                        statement.run(c);
                    } catch (SQLException e) {
                        error = e.getSQLState() + " " + e.getMessage();
                    }
                    samples.add(new Sample(at, kind, t0, System.nanoTime(), error));
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException e) {
                samples.add(new Sample(phase, kind, System.nanoTime(), System.nanoTime(), "the workload's connection ended: " + e.getMessage()));
            }
        }, "dashboard-" + kind);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static long insertedId(PreparedStatement insertReturningId) throws SQLException {
        try (ResultSet rs = insertReturningId.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String pick(List<String> from) {
        return from.get(ThreadLocalRandom.current().nextInt(from.size()));
    }

    private static java.math.BigDecimal price() {
        return java.math.BigDecimal.valueOf(1_000 + ThreadLocalRandom.current().nextInt(400_000), 3);
    }

    void phase(String name) {
        this.phase = name;
    }

    void portfolioAware() {
        this.aware = true;
    }

    boolean isAware() {
        return aware;
    }

    void singlePortfolio() {
        this.aware = false;
    }

    List<Sample> samples(String phase) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.phase().equals(phase)).toList();
        }
    }

    Figures figures(String phase) {
        List<Sample> in = samples(phase);
        long[] ms = in.stream().mapToLong(Sample::millis).sorted().toArray();
        List<String> errors = in.stream().filter(s -> s.error() != null).map(s -> s.kind() + ": " + s.error()).distinct().limit(5).toList();
        return new Figures(phase, in.size(), in.stream().filter(s -> s.error() != null).count(),
                ms.length == 0 ? 0 : ms[(int) Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)], ms.length == 0 ? 0 : ms[ms.length - 1], errors);
    }

    Set<Long> signalIds() {
        return signalIds;
    }

    Set<Long> priceIds() {
        return priceIds;
    }

    Set<String> upserted() {
        return upserted;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
