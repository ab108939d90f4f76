package dev.ferry.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * A v2 database of the Bybit bot (formats §3): trades, orders, sltp_orders, signals,
 * bybit_trade_history and trading_sessions, with the bot's quirks, loaded by COPY. Seeded: the
 * same settings give the same rows. Where the quirks sit does not depend on the seed, only on the
 * row counts, so {@link #idsWith(String)} answers the same for every seed.
 *
 * <p>Quirk rows of {@link #small()} (60 trades, 30 signals; v2 ids, in trades unless said):
 * <ul>
 *   <li>{@code time-micros}, created_at and closed_at spelled '2024-03-01T12:00:00.123456': 4, 12, 21, 29, 38, 46, 55
 *   <li>{@code time-offset}, spelled '2024-03-01T12:00:00+00:00': 2, 11, 19, 28, 36, 45, 53
 *       (every other time is '2024-03-01 12:00:00')
 *   <li>{@code null-order-id}: 25, 56
 *   <li>{@code invalid-ml-data}, '{"broken": ' and a JSON-like text with unquoted keys: 32, 3
 *   <li>{@code mixed-case-side}, 'BUY' and 'sell': 39, 9
 *   <li>{@code unknown-status}, 'EXPIRED_X': 16, 47
 *   <li>{@code long-symbol}, 34 and 27 characters: 23, 54
 *   <li>{@code closed-null-close-order-id}, CLOSE without close_order_id: 30, 60
 *   <li>{@code zero-quantity}, quantity 0: 7, 37
 *   <li>{@code unparseable-time}, 'not-a-time' as created_at of 14 and as closed_at of 44
 *   <li>{@code duplicate-signal-time} (signals): 4 and 5 with the same symbol and created_at text,
 *       19 and 20 with the same symbol and second, 20 spelled with microseconds
 *   <li>{@code mixed-case-signal-type} (signals), 'long' and 'Neutral': 11, 26
 *   <li>{@code closed-without-fee}, CLOSE with a close_order_id that has no bybit_trade_history
 *       row: 18 and 48 planned, 2 because the history's size leaves it out
 *   <li>{@code closed-with-fee}, CLOSE whose close_order_id has a history row (fee &gt; 0, USDT):
 *       the other 32 closed trades
 * </ul>
 * {@link #idsWith(String)} is the authority (the list above is what it returns for small());
 * {@link #tableOf(String)} says which table the ids are of.
 *
 * <p>With {@code quirks(false)} every trade is clean: one time spelling, valid JSON, 'Buy'/'Sell',
 * known statuses, order ids everywhere and signal times unique per symbol and second, so the
 * guide's own SQL runs over it without failing.
 */
public final class V2DatabaseGenerator {

    public static final String TIME_MICROS = "time-micros";
    public static final String TIME_OFFSET = "time-offset";
    public static final String NULL_ORDER_ID = "null-order-id";
    public static final String INVALID_ML_DATA = "invalid-ml-data";
    public static final String MIXED_CASE_SIDE = "mixed-case-side";
    public static final String UNKNOWN_STATUS = "unknown-status";
    public static final String LONG_SYMBOL = "long-symbol";
    public static final String CLOSED_WITHOUT_FEE = "closed-without-fee";
    public static final String CLOSED_NULL_CLOSE_ORDER_ID = "closed-null-close-order-id";
    public static final String ZERO_QUANTITY = "zero-quantity";
    public static final String UNPARSEABLE_TIME = "unparseable-time";
    public static final String CLOSED_WITH_FEE = "closed-with-fee";
    public static final String DUPLICATE_SIGNAL_TIME = "duplicate-signal-time";
    public static final String MIXED_CASE_SIGNAL_TYPE = "mixed-case-signal-type";

    /** Trade quirks placed at planned rows, in placement order (the order fixes the positions). */
    private static final List<String> PLANNED_TRADE_QUIRKS = List.of(TIME_MICROS, TIME_OFFSET, CLOSED_WITHOUT_FEE, NULL_ORDER_ID,
            INVALID_ML_DATA, MIXED_CASE_SIDE, UNKNOWN_STATUS, LONG_SYMBOL, CLOSED_NULL_CLOSE_ORDER_ID, ZERO_QUANTITY, UNPARSEABLE_TIME);
    private static final List<String> QUIRK_NAMES = List.of(TIME_MICROS, TIME_OFFSET, NULL_ORDER_ID, INVALID_ML_DATA, MIXED_CASE_SIDE,
            UNKNOWN_STATUS, LONG_SYMBOL, DUPLICATE_SIGNAL_TIME, MIXED_CASE_SIGNAL_TYPE, CLOSED_WITH_FEE, CLOSED_WITHOUT_FEE,
            CLOSED_NULL_CLOSE_ORDER_ID, ZERO_QUANTITY, UNPARSEABLE_TIME);

    static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT", "DOGEUSDT", "ADAUSDT", "AVAXUSDT",
        "LINKUSDT", "DOTUSDT", "LTCUSDT", "TRXUSDT", "ATOMUSDT", "NEARUSDT", "APTUSDT", "ARBUSDT", "OPUSDT", "SUIUSDT", "INJUSDT",
        "TONUSDT", "WIFUSDT", "1000PEPEUSDT", "FILUSDT", "MATICUSDT"};
    private static final double[] PRICES = {43_000, 2_300, 100, 310, 0.55, 0.085, 0.5, 35, 15, 7, 70, 0.11, 9.5, 3.5, 9, 1.8, 3.5,
        1.2, 25, 2.3, 2.5, 0.012, 5.5, 0.8};
    private static final String[] LONG_SYMBOLS = {"BTCUSDT-QUARTERLY-PERP-0329", "ETHUSDT-PERPETUAL-LINEAR-SWAP-2024"};
    private static final String[] SIGNAL_TYPES = {"LONG", "SHORT", "CLOSE_LONG", "CLOSE_SHORT", "NEUTRAL"};
    private static final String[] MODELS = {"xgb-v3", "lstm-v2", "rf-v1", "ensemble-v4"};
    private static final double[] LEVERAGES = {1, 2, 3, 5, 10, 20};

    /** 2024-01-01T00:00:00Z: every generated time is seconds after it. */
    private static final long EPOCH_2024 = 1_704_067_200L;
    private static final long DAY = 86_400;
    private static final long YEAR_END = 366 * DAY - 1;
    /** Generated rows open before this; mutate()'s new rows come after it, so they never collide with them. */
    private static final long GENERATED_SPAN = 350 * DAY;
    private static final long MAX_HOLD = 6 * DAY;

    private int trades = 60;
    private int signals = 30;
    private int sltp = 20;
    private int history = 40;
    private int sessions = 5;
    private int orders = 30;
    private double closedShare = 0.6;
    private long seed = 1;
    private boolean quirks = true;
    private String prefix = "";

    private Model model;

    public static V2DatabaseGenerator small() {
        return new V2DatabaseGenerator();
    }

    /** The benchmark's sizes; quirks and prefix stay at their defaults (the guide anchor wants quirks(false), "v2_"). */
    public static V2DatabaseGenerator benchmark() {
        return new V2DatabaseGenerator().trades(200_000).signals(100_000).sltp(50_000).history(150_000).sessions(1_000)
                .orders(50_000).closedShare(0.6);
    }

    public static List<String> quirkNames() {
        return QUIRK_NAMES;
    }

    /** The v2 table (without prefix) whose ids {@link #idsWith(String)} returns for the quirk. */
    public static String tableOf(String quirk) {
        check(quirk);
        return quirk.equals(DUPLICATE_SIGNAL_TIME) || quirk.equals(MIXED_CASE_SIGNAL_TYPE) ? "signals" : "trades";
    }

    public V2DatabaseGenerator trades(int n) {
        this.trades = n;
        return changed();
    }

    public V2DatabaseGenerator signals(int n) {
        this.signals = n;
        return changed();
    }

    public V2DatabaseGenerator sltp(int n) {
        this.sltp = n;
        return changed();
    }

    public V2DatabaseGenerator history(int n) {
        this.history = n;
        return changed();
    }

    public V2DatabaseGenerator sessions(int n) {
        this.sessions = n;
        return changed();
    }

    public V2DatabaseGenerator orders(int n) {
        this.orders = n;
        return changed();
    }

    /** The share of trades with status CLOSE (before quirks), spread evenly over the ids. */
    public V2DatabaseGenerator closedShare(double share) {
        this.closedShare = share;
        return changed();
    }

    public V2DatabaseGenerator seed(long s) {
        this.seed = s;
        return changed();
    }

    public V2DatabaseGenerator quirks(boolean on) {
        this.quirks = on;
        return changed();
    }

    public V2DatabaseGenerator tablePrefix(String p) {
        this.prefix = p == null ? "" : p;
        return changed();
    }

    public String tablePrefix() {
        return prefix;
    }

    /** The v2 ids (of {@link #tableOf(String)}) carrying the quirk, ascending; empty with quirks(false) for planned quirks. */
    public List<Integer> idsWith(String quirk) {
        check(quirk);
        return Collections.unmodifiableList(model().quirkIds.get(quirk));
    }

    private V2DatabaseGenerator changed() {
        model = null;
        return this;
    }

    private static void check(String quirk) {
        if (!QUIRK_NAMES.contains(quirk)) {
            throw new IllegalArgumentException("unknown quirk " + quirk + "; known: " + QUIRK_NAMES);
        }
    }

    private String t(String table) {
        return prefix + table;
    }

    // ---------------------------------------------------------------- create

    /**
     * Drops and creates the six tables (under the prefix) and loads them in one transaction,
     * then moves the id sequences past the loaded ids and analyzes the tables.
     */
    public void create(Connection c) throws SQLException {
        Model m = model();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + String.join(", ", t("sltp_orders"), t("trades"), t("orders"), t("signals"),
                        t("bybit_trade_history"), t("trading_sessions")));
                for (String ddl : ddl()) {
                    st.execute(ddl);
                }
            }
            CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
            copySessions(cm, m);
            copyTrades(cm, m);
            copyOrders(cm, m);
            copySltp(cm, m);
            copySignals(cm, m);
            copyHistory(cm, m);
            try (Statement st = c.createStatement()) {
                for (String table : List.of("trades", "orders", "sltp_orders", "signals", "bybit_trade_history", "trading_sessions")) {
                    // the three-argument form, so an empty table leaves a sequence that still starts at 1
                    st.execute("SELECT setval(pg_get_serial_sequence('" + t(table) + "', 'id'), coalesce(max(id), 0) + 1, false) FROM "
                            + t(table));
                    st.execute("ANALYZE " + t(table));
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private List<String> ddl() {
        return List.of(
            "CREATE TABLE " + t("trading_sessions") + " (id serial PRIMARY KEY, session_id varchar(100) NOT NULL UNIQUE,"
                + " started_at timestamp NOT NULL, ended_at timestamp, status varchar(50) DEFAULT 'active', total_trades integer DEFAULT 0,"
                + " profitable_trades integer DEFAULT 0, total_pnl float8 DEFAULT 0.0, max_drawdown float8 DEFAULT 0.0, win_rate float8,"
                + " config_snapshot jsonb, error_count integer DEFAULT 0, last_error text, metadata jsonb)",
            "CREATE TABLE " + t("trades") + " (id serial PRIMARY KEY, symbol varchar(50) NOT NULL, side varchar(10), status varchar(20),"
                + " entry_price float8, quantity float8, stop_loss float8, take_profit float8, leverage float8, order_id varchar(100),"
                + " close_order_id varchar(100), close_price float8, pnl float8, created_at varchar(40), closed_at varchar(40),"
                + " model_name varchar(100), model_score float8, profit_probability float8, loss_probability float8, confidence float8,"
                + " session_id varchar(100), ml_data text, signal_id integer, user_id integer)",
            "CREATE TABLE " + t("orders") + " (id serial PRIMARY KEY, order_id varchar(100) UNIQUE NOT NULL, symbol varchar(50) NOT NULL,"
                + " side varchar(10), order_type varchar(50), price float8, qty float8, status varchar(20), trigger_by varchar(50),"
                + " sl_trigger_price float8, tp_trigger_price float8, sl_order_id varchar(100), tp_order_id varchar(100),"
                + " is_sltp boolean DEFAULT false, parent_order_id varchar(100), reduce_only boolean DEFAULT false,"
                + " time_in_force varchar(50), position_idx integer, created_at varchar(40), updated_at varchar(40))",
            "CREATE TABLE " + t("sltp_orders") + " (id serial PRIMARY KEY,"
                + " trade_id INTEGER NOT NULL REFERENCES " + t("trades") + "(id) ON DELETE CASCADE,"
                + " symbol varchar(50) NOT NULL, side varchar(10) NOT NULL, stop_loss_price float8, take_profit_price float8,"
                + " sl_order_id varchar(100), tp_order_id varchar(100), status varchar(50) DEFAULT 'pending',"
                + " created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(), attempts integer DEFAULT 0,"
                + " sl_trigger_by varchar(50) DEFAULT 'LastPrice', tp_trigger_by varchar(50) DEFAULT 'LastPrice',"
                + " trailing_stop boolean DEFAULT false, trailing_stop_price float8, trailing_stop_activation_price float8,"
                + " trailing_callback float8, is_breakeven boolean DEFAULT false, partial_close_ratio float8, partial_close_trigger float8,"
                + " original_stop_loss float8, original_take_profit float8, error_message text, extra_data jsonb)",
            "CREATE TABLE " + t("signals") + " (id serial PRIMARY KEY, symbol varchar(50) NOT NULL, signal_type varchar(20) NOT NULL,"
                + " created_at varchar(40), processed_at varchar(40), indicators text, predictions text, model_name varchar(100),"
                + " score integer, raw_data text, status varchar(50), error_message text)",
            "CREATE TABLE " + t("bybit_trade_history") + " (id serial PRIMARY KEY, symbol varchar(50) NOT NULL,"
                + " order_id varchar(100) NOT NULL UNIQUE, order_link_id varchar(100), side varchar(10) NOT NULL, price float8 NOT NULL,"
                + " qty float8 NOT NULL, fee float8 DEFAULT 0.0, fee_currency varchar(20), order_type varchar(50), stop_order_type varchar(50),"
                + " created_time timestamp NOT NULL, updated_time timestamp, is_maker boolean DEFAULT false, reduce_only boolean DEFAULT false,"
                + " close_on_trigger boolean DEFAULT false, cum_exec_qty float8, cum_exec_value float8, cum_exec_fee float8,"
                + " trigger_price float8, trigger_by varchar(50), imported_at timestamp DEFAULT now())");
    }

    // ---------------------------------------------------------------- the rows, in memory

    /** One v2 trade as generated; times are seconds after 2024-01-01 UTC, the texts what v2 stores. */
    private static final class Trade {
        int id;
        String symbol;
        String side;
        boolean buy;
        String status;
        double entry;
        double qty;
        double stopLoss;
        double takeProfit;
        double leverage;
        String orderId;
        String closeOrderId;
        double closePrice = Double.NaN;
        double pnl = Double.NaN;
        long created;
        long closed = -1;
        String createdText;
        String closedText;
        String model;
        double modelScore;
        double profitProbability;
        double confidence;
        int session;
        String ml;
        int signalId;
        int userId;
        boolean noFee;
        boolean fee;
        double move;
        long hold;
        int micros;
    }

    private static final class Signal {
        String symbol;
        String type;
        long created;
        String createdText;
    }

    private static final class Model {
        final List<Trade> trades = new ArrayList<>();
        final List<Signal> signals = new ArrayList<>();
        final Map<String, List<Integer>> quirkIds = new LinkedHashMap<>();
    }

    private Model model() {
        if (model == null) {
            model = build();
        }
        return model;
    }

    private Model build() {
        Model m = new Model();
        for (String q : QUIRK_NAMES) {
            m.quirkIds.put(q, new ArrayList<>());
        }
        String[] tradeQuirk = new String[trades + 1];
        int[] tradeVariant = new int[trades + 1];
        if (quirks) {
            plan(tradeQuirk, tradeVariant);
        }
        Random rnd = new Random(seed);
        long slot = Math.max(1, GENERATED_SPAN / Math.max(1, trades));
        for (int i = 1; i <= trades; i++) {
            Trade tr = new Trade();
            tr.id = i;
            int sym = pickSymbol(rnd);
            tr.symbol = SYMBOLS[sym];
            tr.buy = rnd.nextBoolean();
            tr.side = tr.buy ? "Buy" : "Sell";
            double u = rnd.nextDouble();
            boolean closed = (long) (i * closedShare) != (long) ((i - 1) * closedShare);
            tr.status = closed ? "CLOSE" : u < 0.75 ? "OPEN" : u < 0.875 ? "CANCELED" : u < 0.95 ? "REJECTED" : "PARTIAL";
            tr.entry = price(PRICES[sym] * (0.9 + 0.2 * rnd.nextDouble()));
            tr.qty = Math.max(0.001, Math.round((50 + rnd.nextInt(4_950)) / tr.entry * 1e3) / 1e3);
            tr.leverage = LEVERAGES[rnd.nextInt(LEVERAGES.length)];
            double risk = 0.01 + 0.04 * rnd.nextDouble();
            tr.stopLoss = price(tr.entry * (tr.buy ? 1 - risk : 1 + risk));
            tr.takeProfit = price(tr.entry * (tr.buy ? 1 + 2 * risk : 1 - 2 * risk));
            tr.move = (rnd.nextDouble() - 0.45) * 0.08;
            tr.created = Math.min(GENERATED_SPAN - 1, (i - 1) * slot + (long) (rnd.nextDouble() * slot));
            tr.hold = 60 + (long) (rnd.nextDouble() * (MAX_HOLD - 60));
            tr.micros = rnd.nextInt(1_000_000);
            tr.orderId = "ord-" + i;
            tr.model = rnd.nextInt(10) == 0 ? null : MODELS[rnd.nextInt(MODELS.length)];
            tr.modelScore = round(rnd.nextDouble(), 4);
            tr.profitProbability = round(0.3 + 0.5 * rnd.nextDouble(), 4);
            tr.confidence = round(0.5 + 0.5 * rnd.nextDouble(), 4);
            tr.session = sessions == 0 ? 0 : 1 + (int) Math.min(sessions - 1, tr.created * sessions / GENERATED_SPAN);
            double f1 = round(rnd.nextDouble(), 3);
            double f2 = round(rnd.nextDouble(), 3);
            double f3 = round(rnd.nextDouble(), 3);
            tr.ml = "{\"features\": [" + f1 + ", " + f2 + ", " + f3 + "], \"model\": \"xgb\"}";
            tr.signalId = signals == 0 || rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(signals);
            tr.userId = 1 + rnd.nextInt(5);
            if (closed) {
                close(tr);
            }
            tr.createdText = time(tr.created, 0, 0);
            tr.closedText = tr.closed < 0 ? null : time(tr.closed, 0, 0);
            if (tradeQuirk[i] != null) {
                applyQuirk(tr, tradeQuirk[i], tradeVariant[i]);
                if (!tradeQuirk[i].equals(CLOSED_WITHOUT_FEE)) {
                    // assignFees lists every closed trade without a fee row, the planned ones among them
                    m.quirkIds.get(tradeQuirk[i]).add(i);
                }
            }
            m.trades.add(tr);
        }
        assignFees(m);
        buildSignals(m, rnd);
        for (List<Integer> ids : m.quirkIds.values()) {
            Collections.sort(ids);
        }
        return m;
    }

    /**
     * Each planned quirk gets max(2, its rate of the rows) rows, spread over the ids from an offset of
     * its own; a taken row moves it to the next free one. Nothing here draws from the seed.
     */
    private void plan(String[] quirkOf, int[] variant) {
        int n = trades;
        for (int q = 0; q < PLANNED_TRADE_QUIRKS.size(); q++) {
            String quirk = PLANNED_TRADE_QUIRKS.get(q);
            double rate = quirk.equals(TIME_MICROS) || quirk.equals(TIME_OFFSET) ? 0.12 : 0.001;
            int k = Math.max(2, (int) Math.round(n * rate));
            for (int j = 0; j < k && n > 0; j++) {
                int pos = (int) (((long) j * n / k + q * 7L + 3) % n) + 1;
                int probes = 0;
                while (quirkOf[pos] != null && probes++ < n) {
                    pos = pos % n + 1;
                }
                if (quirkOf[pos] != null) {
                    return;
                }
                quirkOf[pos] = quirk;
                variant[pos] = j;
            }
        }
    }

    private static void close(Trade tr) {
        tr.status = "CLOSE";
        tr.closed = Math.min(YEAR_END, tr.created + tr.hold);
        tr.closePrice = price(tr.entry * (1 + tr.move));
        tr.pnl = round((tr.closePrice - tr.entry) * tr.qty * (tr.buy ? 1 : -1), 4);
        tr.closeOrderId = "cls-" + tr.id;
    }

    private void applyQuirk(Trade tr, String quirk, int j) {
        switch (quirk) {
            case TIME_MICROS -> {
                tr.createdText = time(tr.created, 1, tr.micros);
                tr.closedText = tr.closed < 0 ? null : time(tr.closed, 1, (tr.micros * 7) % 1_000_000);
            }
            case TIME_OFFSET -> {
                tr.createdText = time(tr.created, 2, 0);
                tr.closedText = tr.closed < 0 ? null : time(tr.closed, 2, 0);
            }
            case NULL_ORDER_ID -> tr.orderId = null;
            case INVALID_ML_DATA -> tr.ml = j % 2 == 0 ? "{\"broken\": " : "{features: [0.1, 0.2], model: xgb}";
            case MIXED_CASE_SIDE -> {
                tr.side = new String[] {"BUY", "sell", "buy", "SELL"}[j % 4];
                boolean buy = tr.side.equalsIgnoreCase("buy");
                if (buy != tr.buy) {
                    // the other direction: stops mirrored around the entry, the same move costs instead of pays
                    tr.buy = buy;
                    tr.stopLoss = price(2 * tr.entry - tr.stopLoss);
                    tr.takeProfit = price(2 * tr.entry - tr.takeProfit);
                    if (!Double.isNaN(tr.pnl)) {
                        tr.pnl = -tr.pnl;
                    }
                }
            }
            case UNKNOWN_STATUS -> {
                tr.status = "EXPIRED_X";
                tr.closed = -1;
                tr.closedText = null;
                tr.closePrice = Double.NaN;
                tr.pnl = Double.NaN;
                tr.closeOrderId = null;
            }
            case LONG_SYMBOL -> tr.symbol = LONG_SYMBOLS[j % LONG_SYMBOLS.length];
            case CLOSED_WITHOUT_FEE -> {
                ensureClosed(tr);
                tr.noFee = true;
            }
            case CLOSED_NULL_CLOSE_ORDER_ID -> {
                ensureClosed(tr);
                tr.closeOrderId = null;
            }
            case ZERO_QUANTITY -> {
                tr.qty = 0;
                if (!Double.isNaN(tr.pnl)) {
                    tr.pnl = 0;
                }
            }
            case UNPARSEABLE_TIME -> {
                if (j % 2 == 0) {
                    tr.createdText = "not-a-time";
                } else {
                    ensureClosed(tr);
                    tr.closedText = "not-a-time";
                }
            }
            default -> throw new IllegalStateException(quirk);
        }
    }

    private static void ensureClosed(Trade tr) {
        if (tr.closed < 0) {
            close(tr);
            tr.closedText = time(tr.closed, 0, 0);
        }
    }

    /**
     * Most history rows are the fills of closing orders; the closed trades that get one are spread
     * evenly over the eligible ones, so a short history leaves gaps all along rather than at the end.
     */
    private void assignFees(Model m) {
        List<Trade> eligible = new ArrayList<>();
        for (Trade tr : m.trades) {
            if (tr.status.equals("CLOSE") && tr.closeOrderId != null && !tr.noFee) {
                eligible.add(tr);
            }
        }
        int target = (int) Math.min(eligible.size(), Math.round(history * 0.8));
        for (int k = 0; k < eligible.size(); k++) {
            if ((long) (k + 1) * target / eligible.size() != (long) k * target / eligible.size()) {
                eligible.get(k).fee = true;
            }
        }
        for (Trade tr : m.trades) {
            if (tr.status.equals("CLOSE") && tr.closeOrderId != null) {
                m.quirkIds.get(tr.fee ? CLOSED_WITH_FEE : CLOSED_WITHOUT_FEE).add(tr.id);
            }
        }
    }

    /** Signal times are one per slot of the year, so only the planned duplicates share a second. */
    private void buildSignals(Model m, Random rnd) {
        int n = signals;
        boolean[] taken = new boolean[n + 2];
        List<Integer> pairs = new ArrayList<>();
        List<Integer> mixed = new ArrayList<>();
        if (quirks && n >= 2) {
            for (int j = 0; j < 2; j++) {
                int pos = (int) (((long) j * n / 2 + 3) % (n - 1)) + 1;
                for (int probes = 0; (taken[pos] || taken[pos + 1]) && probes < n; probes++) {
                    pos = pos % (n - 1) + 1;
                }
                if (!taken[pos] && !taken[pos + 1]) {
                    taken[pos] = taken[pos + 1] = true;
                    pairs.add(pos);
                }
            }
            for (int j = 0; j < 2; j++) {
                int pos = (int) (((long) j * n / 2 + 10) % n) + 1;
                for (int probes = 0; taken[pos] && probes < n; probes++) {
                    pos = pos % n + 1;
                }
                if (!taken[pos]) {
                    taken[pos] = true;
                    mixed.add(pos);
                }
            }
        }
        long slot = Math.max(1, GENERATED_SPAN / Math.max(1, n));
        for (int i = 1; i <= n; i++) {
            Signal s = new Signal();
            s.symbol = SYMBOLS[pickSymbol(rnd)];
            s.type = SIGNAL_TYPES[rnd.nextInt(SIGNAL_TYPES.length)];
            s.created = Math.min(GENERATED_SPAN - 1, (i - 1) * slot + (long) (rnd.nextDouble() * slot));
            s.createdText = time(s.created, 0, 0);
            m.signals.add(s);
        }
        for (int p = 0; p < pairs.size(); p++) {
            int first = pairs.get(p);
            Signal a = m.signals.get(first - 1);
            Signal b = m.signals.get(first);
            b.symbol = a.symbol;
            b.created = a.created;
            b.createdText = p % 2 == 0 ? a.createdText : time(a.created, 1, 250_000);
            m.quirkIds.get(DUPLICATE_SIGNAL_TIME).add(first);
            m.quirkIds.get(DUPLICATE_SIGNAL_TIME).add(first + 1);
        }
        for (int p = 0; p < mixed.size(); p++) {
            Signal s = m.signals.get(mixed.get(p) - 1);
            s.type = p % 2 == 0 ? s.type.toLowerCase(Locale.ROOT) : capitalized(s.type);
            m.quirkIds.get(MIXED_CASE_SIGNAL_TYPE).add(mixed.get(p));
        }
    }

    private static String capitalized(String type) {
        StringBuilder sb = new StringBuilder(type.length());
        boolean start = true;
        for (char ch : type.toCharArray()) {
            sb.append(start ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            start = ch == '_';
        }
        return sb.toString();
    }

    /** BTC and ETH trade most, as on the real account. */
    private static int pickSymbol(Random rnd) {
        return (int) (SYMBOLS.length * Math.pow(rnd.nextDouble(), 1.8));
    }

    // ---------------------------------------------------------------- COPY

    private void copyTrades(CopyManager cm, Model m) throws SQLException {
        try (Copy out = new Copy(cm, "COPY " + t("trades") + " (id, symbol, side, status, entry_price, quantity, stop_loss, take_profit,"
                + " leverage, order_id, close_order_id, close_price, pnl, created_at, closed_at, model_name, model_score,"
                + " profit_probability, loss_probability, confidence, session_id, ml_data, signal_id, user_id) FROM STDIN")) {
            for (Trade tr : m.trades) {
                out.col(tr.id).col(tr.symbol).col(tr.side).col(tr.status).col(tr.entry).col(tr.qty).col(tr.stopLoss).col(tr.takeProfit)
                        .col(tr.leverage).col(tr.orderId).col(tr.closeOrderId).col(tr.closePrice).col(tr.pnl).col(tr.createdText)
                        .col(tr.closedText).col(tr.model).col(tr.modelScore).col(tr.profitProbability)
                        .col(round(1 - tr.profitProbability, 4)).col(tr.confidence).col(tr.session == 0 ? null : "sess-" + tr.session)
                        .col(tr.ml).col(tr.signalId == 0 ? null : String.valueOf(tr.signalId)).col(tr.userId).row();
            }
            out.finish();
        }
    }

    /** Entry orders of trades, every fourth a stop-loss order hanging off one. */
    private void copyOrders(CopyManager cm, Model m) throws SQLException {
        if (m.trades.isEmpty()) {
            return;
        }
        Random rnd = new Random(seed ^ 0x0D0E5L);
        int n = m.trades.size();
        try (Copy out = new Copy(cm, "COPY " + t("orders") + " (id, order_id, symbol, side, order_type, price, qty, status, trigger_by,"
                + " sl_trigger_price, tp_trigger_price, sl_order_id, tp_order_id, is_sltp, parent_order_id, reduce_only, time_in_force,"
                + " position_idx, created_at, updated_at) FROM STDIN")) {
            for (int j = 0; j < orders; j++) {
                Trade tr = m.trades.get((int) ((long) j * n / orders) % n);
                String side = tr.buy ? "Buy" : "Sell";
                boolean stop = j % 4 == 3;
                String updated = time(tr.closed >= 0 ? tr.closed : tr.created + 1, 0, 0);
                if (stop) {
                    out.col(j + 1).col("slo-" + (j + 1)).col(tr.symbol).col(tr.buy ? "Sell" : "Buy").col("StopLoss").col(tr.stopLoss)
                            .col(tr.qty).col(tr.closed >= 0 ? "Cancelled" : "Untriggered").col("LastPrice").col(tr.stopLoss)
                            .col(Double.NaN).col(null).col(null).col(true).col(tr.orderId).col(true).col("GTC").col(0)
                            .col(time(tr.created, 0, 0)).col(updated).row();
                } else {
                    String id = tr.orderId != null && orders <= n ? tr.orderId : "oth-" + (j + 1);
                    out.col(j + 1).col(id).col(tr.symbol).col(side).col(rnd.nextInt(3) == 0 ? "Limit" : "Market").col(tr.entry)
                            .col(tr.qty).col(orderStatus(tr.status)).col(null).col(tr.stopLoss).col(tr.takeProfit)
                            .col("sl-" + tr.id).col("tp-" + tr.id).col(false).col(null).col(false)
                            .col(rnd.nextInt(4) == 0 ? "IOC" : "GTC").col(0).col(time(tr.created, 0, 0)).col(updated).row();
                }
            }
            out.finish();
        }
    }

    private static String orderStatus(String tradeStatus) {
        return switch (tradeStatus) {
            case "OPEN", "CLOSE" -> "Filled";
            case "CANCELED" -> "Cancelled";
            case "REJECTED" -> "Rejected";
            case "PARTIAL" -> "PartiallyFilled";
            default -> "New";
        };
    }

    private void copySltp(CopyManager cm, Model m) throws SQLException {
        if (m.trades.isEmpty()) {
            return;
        }
        Random rnd = new Random(seed ^ 0x517AL);
        int n = m.trades.size();
        String[] statuses = {"active", "active", "active", "triggered", "cancelled", "pending"};
        try (Copy out = new Copy(cm, "COPY " + t("sltp_orders") + " (id, trade_id, symbol, side, stop_loss_price, take_profit_price,"
                + " sl_order_id, tp_order_id, status, created_at, updated_at, attempts, sl_trigger_by, tp_trigger_by, trailing_stop,"
                + " trailing_stop_price, trailing_stop_activation_price, trailing_callback, is_breakeven, partial_close_ratio,"
                + " partial_close_trigger, original_stop_loss, original_take_profit, error_message, extra_data) FROM STDIN")) {
            for (int j = 0; j < sltp; j++) {
                Trade tr = m.trades.get((int) ((long) j * n / sltp) % n);
                boolean trailing = rnd.nextInt(5) == 0;
                boolean partial = rnd.nextInt(6) == 0;
                String status = statuses[rnd.nextInt(statuses.length)];
                long updated = tr.created + 5 + rnd.nextInt(3_600);
                out.col(j + 1).col(tr.id).col(tr.symbol).col(tr.buy ? "Buy" : "Sell").col(tr.stopLoss).col(tr.takeProfit)
                        .col("sl-" + tr.id).col("tp-" + tr.id).col(status).col(stamp(tr.created + 2, true)).col(stamp(updated, true))
                        .col(rnd.nextInt(3)).col("LastPrice").col(rnd.nextInt(4) == 0 ? "MarkPrice" : "LastPrice").col(trailing)
                        .col(trailing ? price(tr.entry * (tr.buy ? 0.99 : 1.01)) : Double.NaN)
                        .col(trailing ? price(tr.entry * (tr.buy ? 1.01 : 0.99)) : Double.NaN).col(trailing ? 0.5 : Double.NaN)
                        .col(rnd.nextInt(8) == 0).col(partial ? 0.5 : Double.NaN).col(partial ? price(tr.entry * 1.02) : Double.NaN)
                        .col(tr.stopLoss).col(tr.takeProfit).col(status.equals("cancelled") ? "position closed" : null)
                        .col("{\"v2\": true, \"attempt_log\": []}").row();
            }
            out.finish();
        }
    }

    private void copySignals(CopyManager cm, Model m) throws SQLException {
        Random rnd = new Random(seed ^ 0x516AL);
        try (Copy out = new Copy(cm, "COPY " + t("signals") + " (id, symbol, signal_type, created_at, processed_at, indicators, predictions,"
                + " model_name, score, raw_data, status, error_message) FROM STDIN")) {
            int id = 0;
            for (Signal s : m.signals) {
                id++;
                int u = rnd.nextInt(20);
                String status = u < 17 ? "processed" : u < 19 ? "pending" : "error";
                double rsi = round(20 + 60 * rnd.nextDouble(), 2);
                double macd = round((rnd.nextDouble() - 0.5) / 50, 5);
                double pLong = round(rnd.nextDouble(), 3);
                out.col(id).col(s.symbol).col(s.type).col(s.createdText)
                        .col(status.equals("pending") ? null : time(s.created + 1 + rnd.nextInt(4), 0, 0))
                        .col("{\"rsi\": " + rsi + ", \"macd\": " + macd + ", \"ema_20\": " + round(rsi * 3.1, 2) + "}")
                        .col("{\"long\": " + pLong + ", \"short\": " + round(1 - pLong, 3) + "}")
                        .col(MODELS[rnd.nextInt(MODELS.length)]).col(rnd.nextInt(101))
                        .col("{\"source\": \"bybit\", \"interval\": \"5\"}").col(status)
                        .col(status.equals("error") ? "model timeout" : null).row();
            }
            out.finish();
        }
    }

    private void copyHistory(CopyManager cm, Model m) throws SQLException {
        record Fill(String orderId, Trade trade, boolean closing, long time) {
        }
        List<Fill> fills = new ArrayList<>();
        for (Trade tr : m.trades) {
            if (tr.fee) {
                fills.add(new Fill(tr.closeOrderId, tr, true, tr.closed));
            }
        }
        // the rest are the opening orders' fills, taken evenly from the trades that have an order id
        List<Trade> withOrder = new ArrayList<>();
        for (Trade tr : m.trades) {
            if (tr.orderId != null) {
                withOrder.add(tr);
            }
        }
        int others = Math.max(0, history - fills.size());
        for (int k = 0; k < others; k++) {
            if (k < withOrder.size()) {
                Trade tr = withOrder.get((int) ((long) k * withOrder.size() / others));
                fills.add(new Fill(tr.orderId, tr, false, tr.created));
            } else {
                Trade tr = m.trades.isEmpty() ? null : m.trades.get(k % m.trades.size());
                fills.add(new Fill("ext-" + (k + 1), tr, false, tr == null ? k : tr.created));
            }
        }
        fills.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : a.orderId.compareTo(b.orderId));
        Random rnd = new Random(seed ^ 0x4157L);
        try (Copy out = new Copy(cm, "COPY " + t("bybit_trade_history") + " (id, symbol, order_id, order_link_id, side, price, qty, fee,"
                + " fee_currency, order_type, stop_order_type, created_time, updated_time, is_maker, reduce_only, close_on_trigger,"
                + " cum_exec_qty, cum_exec_value, cum_exec_fee, trigger_price, trigger_by, imported_at) FROM STDIN")) {
            int id = 0;
            for (Fill f : fills) {
                id++;
                Trade tr = f.trade;
                String symbol = tr == null ? "BTCUSDT" : tr.symbol;
                boolean buy = tr == null || tr.buy;
                double px = tr == null ? 43_000 : f.closing ? tr.closePrice : tr.entry;
                double qty = tr == null || tr.qty <= 0 ? 0.001 : tr.qty;
                boolean maker = rnd.nextInt(4) == 0;
                double value = round(px * qty, 6);
                // Bybit's taker and maker rates; a fee is never zero, even on a dust fill
                double fee = Math.max(0.000001, round(value * (maker ? 0.0002 : 0.00055), 8));
                out.col(id).col(symbol).col(f.orderId).col("link-" + f.orderId).col(buy != f.closing ? "Buy" : "Sell").col(px).col(qty)
                        .col(fee).col("USDT").col(maker ? "Limit" : "Market").col(f.closing && rnd.nextInt(3) == 0 ? "StopLoss" : null)
                        .col(stamp(f.time, false)).col(stamp(f.time + 1, false)).col(maker).col(f.closing).col(false).col(qty)
                        .col(value).col(fee).col(Double.NaN).col(null).col(stamp(Math.min(YEAR_END, f.time + 3_600), false)).row();
            }
            out.finish();
        }
    }

    private void copySessions(CopyManager cm, Model m) throws SQLException {
        int[] total = new int[sessions + 1];
        int[] won = new int[sessions + 1];
        double[] pnl = new double[sessions + 1];
        for (Trade tr : m.trades) {
            if (tr.session > 0) {
                total[tr.session]++;
                if (!Double.isNaN(tr.pnl)) {
                    pnl[tr.session] += tr.pnl;
                    if (tr.pnl > 0) {
                        won[tr.session]++;
                    }
                }
            }
        }
        Random rnd = new Random(seed ^ 0x5E55L);
        long width = Math.max(1, GENERATED_SPAN / Math.max(1, sessions));
        try (Copy out = new Copy(cm, "COPY " + t("trading_sessions") + " (id, session_id, started_at, ended_at, status, total_trades,"
                + " profitable_trades, total_pnl, max_drawdown, win_rate, config_snapshot, error_count, last_error, metadata) FROM STDIN")) {
            for (int k = 1; k <= sessions; k++) {
                boolean last = k == sessions;
                boolean failed = !last && rnd.nextInt(15) == 0;
                long start = (k - 1) * width;
                out.col(k).col("sess-" + k).col(stamp(start, false)).col(last ? null : stamp(start + width - 1, false))
                        .col(last ? "active" : failed ? "error" : "completed").col(total[k]).col(won[k]).col(round(pnl[k], 4))
                        .col(round(rnd.nextDouble() * 500, 2)).col(total[k] == 0 ? Double.NaN : round((double) won[k] / total[k], 4))
                        .col("{\"max_leverage\": 20, \"risk_per_trade\": 0.01, \"symbols\": " + SYMBOLS.length + "}")
                        .col(failed ? 1 + rnd.nextInt(3) : 0).col(failed ? "bybit: 10006 too many visits" : null)
                        .col("{\"host\": \"bot-1\", \"version\": \"2.4." + (k % 7) + "\"}").row();
            }
            out.finish();
        }
    }

    /** COPY text format, buffered into chunks: one round trip per megabyte, not per row. */
    private static final class Copy implements AutoCloseable {
        private static final int CHUNK = 1 << 20;
        private final CopyIn in;
        private final StringBuilder sb = new StringBuilder(CHUNK + 4096);
        private boolean first = true;
        private boolean done;

        Copy(CopyManager cm, String sql) throws SQLException {
            this.in = cm.copyIn(sql);
        }

        private void sep() {
            if (!first) {
                sb.append('\t');
            }
            first = false;
        }

        Copy col(String s) {
            sep();
            if (s == null) {
                sb.append("\\N");
                return this;
            }
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(ch);
                }
            }
            return this;
        }

        /** NaN stands for NULL: no generated value is ever NaN. */
        Copy col(double d) {
            sep();
            if (Double.isNaN(d)) {
                sb.append("\\N");
            } else {
                sb.append(d);
            }
            return this;
        }

        Copy col(long v) {
            sep();
            sb.append(v);
            return this;
        }

        Copy col(boolean b) {
            sep();
            sb.append(b ? 't' : 'f');
            return this;
        }

        void row() throws SQLException {
            sb.append('\n');
            first = true;
            if (sb.length() >= CHUNK) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            sb.setLength(0);
        }

        void finish() throws SQLException {
            flush();
            in.endCopy();
            done = true;
        }

        /** Without finish() the COPY is cancelled: a half-written table must not commit. */
        @Override
        public void close() throws SQLException {
            if (!done && in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    // ---------------------------------------------------------------- times and numbers

    /** style 0: '2024-03-01 12:00:00', 1: '2024-03-01T12:00:00.123456', 2: '2024-03-01T12:00:00+00:00'. */
    static String time(long sec, int style, int micros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(EPOCH_2024 + sec, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(32);
        sb.append(t.getYear()).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append(style == 0 ? ' ' : 'T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        if (style == 1) {
            pad(sb.append('.'), micros, 6);
        } else if (style == 2) {
            sb.append("+00:00");
        }
        return sb.toString();
    }

    /** A timestamp (zone = false) or timestamptz literal for COPY. */
    private static String stamp(long sec, boolean zone) {
        String s = time(sec, 0, 0);
        return zone ? s + "+00" : s;
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** Exchange tick sizes, roughly: cents for the big coins, six places for the small. */
    private static double price(double v) {
        return round(v, v >= 1_000 ? 2 : v >= 1 ? 4 : 6);
    }

    /** Seconds after 2024-01-01 UTC for the three v2 spellings (naive ones in UTC), or null when it does not parse. */
    static Long parseSeconds(String text) {
        if (text == null || text.length() < 19) {
            return null;
        }
        String s = text.strip();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            long epoch;
            if (s.length() > 19 && (s.endsWith("Z") || s.lastIndexOf('+') > 18 || s.lastIndexOf('-') > 18)) {
                epoch = OffsetDateTime.parse(s).toEpochSecond();
            } else {
                epoch = LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
            }
            return epoch - EPOCH_2024;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- v3 signals the platform wrote

    /**
     * Inserts, into v3's signals, one platform-written signal for each chosen v2 signal with a
     * symbol that fits v3 (≤ 20), a known type (any case) and a time that parses: same symbol, the
     * same created_at second (UTC), exchange 'bybit', strategy 'platform'. The chosen ones are
     * spread evenly over the valid ones (share 1 takes all), so the two signals of a duplicate pair
     * can both get one (two v3 candidates) or one of them only (one v3 signal, two v2 claimants).
     */
    public void seedV3Signals(Connection v2, Connection v3, double share) throws SQLException {
        record Chosen(String symbol, String type, long created) {
        }
        List<Chosen> valid = new ArrayList<>();
        try (Statement st = v2.createStatement();
             ResultSet rs = st.executeQuery("SELECT symbol, signal_type, created_at FROM " + t("signals") + " ORDER BY id")) {
            while (rs.next()) {
                String symbol = rs.getString(1);
                String type = rs.getString(2) == null ? null : rs.getString(2).toUpperCase(Locale.ROOT);
                Long created = parseSeconds(rs.getString(3));
                if (symbol != null && !symbol.isEmpty() && symbol.length() <= 20 && type != null
                        && Arrays.asList(SIGNAL_TYPES).contains(type) && created != null) {
                    valid.add(new Chosen(symbol, type, created));
                }
            }
        }
        double s = Math.max(0, Math.min(1, share));
        Random rnd = new Random(seed ^ 0x3A3AL);
        CopyManager cm = v3.unwrap(PGConnection.class).getCopyAPI();
        try (Copy out = new Copy(cm, "COPY signals (symbol, exchange, signal_type, strength, confidence, strategy_name, timeframe,"
                + " created_at, indicators, extra_data) FROM STDIN")) {
            for (int k = 0; k < valid.size(); k++) {
                if ((long) ((k + 1) * s) == (long) (k * s)) {
                    continue;
                }
                Chosen c = valid.get(k);
                out.col(c.symbol).col("bybit").col(c.type).col(round(rnd.nextDouble(), 3)).col(round(0.5 + rnd.nextDouble() / 2, 3))
                        .col("platform").col(rnd.nextInt(3) == 0 ? "15m" : "5m").col(stamp(c.created, true))
                        .col("{\"platform_rsi\": " + round(20 + 60 * rnd.nextDouble(), 2) + "}").col("{\"source\":\"platform\"}").row();
            }
            out.finish();
        }
    }

    // ---------------------------------------------------------------- the bot at work

    /**
     * v2 trades mutate() may touch: ordinary ones only, so the planned quirk rows stay as
     * {@link #idsWith(String)} lists them (closed-with-fee may lose a deleted row, closed-without-fee never).
     */
    private static final String ORDINARY = "side IN ('Buy', 'Sell') AND order_id LIKE 'ord-%' AND quantity > 0 AND length(symbol) <= 20"
            + " AND created_at ~ '^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$' AND ml_data LIKE '{\"features\"%'";
    private static final String OPEN_ORDINARY = "status = 'OPEN' AND " + ORDINARY;
    private static final String DELETABLE = ORDINARY + " AND (status = 'OPEN' OR (status = 'CLOSE'"
            + " AND closed_at ~ '^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$'"
            + " AND EXISTS (SELECT 1 FROM bybit_trade_history h WHERE h.order_id = trades.close_order_id)))";

    /**
     * n changes as the running bot makes them (tables without prefix), each in its own
     * transaction when the connection autocommits: 40% new trades (a third of them already
     * closed, with their fee row), 20% open trades closing (with the fee row of the close), 20%
     * stop-loss moves on open trades (and their sltp_orders), 10% new signals, 10% deletes of
     * trades (sltp_orders first). Seeded by seed and the database's content.
     *
     * @return how many of each were made: inserted, closed, moved, signals, deleted (a close or
     *     move with no open trade left is skipped, so counts may fall short of n)
     */
    public static Map<String, Long> mutate(Connection v2, int n, long seed) throws SQLException {
        Random rnd = new Random(seed);
        int inserts = (int) Math.round(n * 0.4);
        int closes = (int) Math.round(n * 0.2);
        int moves = (int) Math.round(n * 0.2);
        int newSignals = (int) Math.round(n * 0.1);
        int deletes = Math.max(0, n - inserts - closes - moves - newSignals);
        List<String> kinds = new ArrayList<>(n);
        kinds.addAll(Collections.nCopies(inserts, "inserted"));
        kinds.addAll(Collections.nCopies(closes, "closed"));
        kinds.addAll(Collections.nCopies(moves, "moved"));
        kinds.addAll(Collections.nCopies(newSignals, "signals"));
        kinds.addAll(Collections.nCopies(deletes, "deleted"));
        while (kinds.size() > n) {
            kinds.remove(kinds.size() - 1);
        }
        Collections.shuffle(kinds, rnd);
        Map<String, Long> done = new LinkedHashMap<>();
        for (String k : List.of("inserted", "closed", "moved", "signals", "deleted")) {
            done.put(k, 0L);
        }
        String session;
        long maxId;
        try (Statement st = v2.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT session_id FROM trading_sessions ORDER BY id DESC LIMIT 1")) {
                session = rs.next() ? rs.getString(1) : null;
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM trades")) {
                rs.next();
                maxId = rs.getLong(1);
            }
        }
        for (String kind : kinds) {
            boolean ok = switch (kind) {
                case "inserted" -> insertTrade(v2, rnd, session);
                case "closed" -> closeTrade(v2, rnd, maxId);
                case "moved" -> moveStop(v2, rnd, maxId);
                case "signals" -> insertSignal(v2, rnd);
                default -> deleteTrade(v2, rnd, maxId);
            };
            if (ok) {
                done.merge(kind, 1L, Long::sum);
            }
        }
        return done;
    }

    private static boolean insertTrade(Connection c, Random rnd, String session) throws SQLException {
        long id;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval(pg_get_serial_sequence('trades', 'id'))")) {
            rs.next();
            id = rs.getLong(1);
        }
        int sym = pickSymbol(rnd);
        boolean buy = rnd.nextBoolean();
        double entry = price(PRICES[sym] * (0.9 + 0.2 * rnd.nextDouble()));
        double qty = Math.max(0.001, Math.round((50 + rnd.nextInt(4_950)) / entry * 1e3) / 1e3);
        double risk = 0.01 + 0.04 * rnd.nextDouble();
        long created = GENERATED_SPAN + (long) (rnd.nextDouble() * 12 * DAY);
        boolean closed = rnd.nextInt(3) == 0;
        long closedAt = Math.min(YEAR_END, created + 60 + (long) (rnd.nextDouble() * MAX_HOLD));
        double close = price(entry * (1 + (rnd.nextDouble() - 0.45) * 0.08));
        double pnl = round((close - entry) * qty * (buy ? 1 : -1), 4);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trades (id, symbol, side, status, entry_price, quantity, stop_loss,"
                + " take_profit, leverage, order_id, close_order_id, close_price, pnl, created_at, closed_at, model_name, model_score,"
                + " profit_probability, loss_probability, confidence, session_id, ml_data, signal_id, user_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            double p = round(0.3 + 0.5 * rnd.nextDouble(), 4);
            ps.setLong(1, id);
            ps.setString(2, SYMBOLS[sym]);
            ps.setString(3, buy ? "Buy" : "Sell");
            ps.setString(4, closed ? "CLOSE" : "OPEN");
            ps.setDouble(5, entry);
            ps.setDouble(6, qty);
            ps.setDouble(7, price(entry * (buy ? 1 - risk : 1 + risk)));
            ps.setDouble(8, price(entry * (buy ? 1 + 2 * risk : 1 - 2 * risk)));
            ps.setDouble(9, LEVERAGES[rnd.nextInt(LEVERAGES.length)]);
            ps.setString(10, "ord-" + id);
            ps.setString(11, closed ? "cls-" + id : null);
            setDouble(ps, 12, closed ? close : Double.NaN);
            setDouble(ps, 13, closed ? pnl : Double.NaN);
            ps.setString(14, time(created, 0, 0));
            ps.setString(15, closed ? time(closedAt, 0, 0) : null);
            ps.setString(16, MODELS[rnd.nextInt(MODELS.length)]);
            ps.setDouble(17, round(rnd.nextDouble(), 4));
            ps.setDouble(18, p);
            ps.setDouble(19, round(1 - p, 4));
            ps.setDouble(20, round(0.5 + 0.5 * rnd.nextDouble(), 4));
            ps.setString(21, session);
            ps.setString(22, "{\"features\": [" + round(rnd.nextDouble(), 3) + ", " + round(rnd.nextDouble(), 3) + "], \"model\": \"xgb\"}");
            ps.setNull(23, Types.INTEGER);
            ps.setInt(24, 1 + rnd.nextInt(5));
            ps.executeUpdate();
        }
        if (closed) {
            fill(c, "cls-" + id, SYMBOLS[sym], !buy, close, qty, closedAt);
        }
        return true;
    }

    /** The first row matching the condition at or after a random id, else the first of all. */
    private static Long pick(Connection c, Random rnd, long maxId, String condition) throws SQLException {
        long pivot = 1 + (long) (rnd.nextDouble() * Math.max(1, maxId));
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM trades WHERE " + condition + " AND id >= ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, pivot);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM trades WHERE " + condition + " ORDER BY id LIMIT 1")) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static boolean closeTrade(Connection c, Random rnd, long maxId) throws SQLException {
        Long id = pick(c, rnd, maxId, OPEN_ORDINARY);
        if (id == null) {
            return false;
        }
        String symbol;
        boolean buy;
        double entry;
        double qty;
        long created;
        try (PreparedStatement ps = c.prepareStatement("SELECT symbol, side, entry_price, quantity, created_at FROM trades WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                symbol = rs.getString(1);
                buy = rs.getString(2).equals("Buy");
                entry = rs.getDouble(3);
                qty = rs.getDouble(4);
                Long parsed = parseSeconds(rs.getString(5));
                created = parsed == null ? GENERATED_SPAN : parsed;
            }
        }
        long closedAt = Math.min(YEAR_END, created + 60 + (long) (rnd.nextDouble() * MAX_HOLD));
        double close = price(entry * (1 + (rnd.nextDouble() - 0.45) * 0.08));
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE trades SET status = 'CLOSE', close_price = ?, closed_at = ?, pnl = ?, close_order_id = ? WHERE id = ? AND status = 'OPEN'")) {
            ps.setDouble(1, close);
            ps.setString(2, time(closedAt, 0, 0));
            ps.setDouble(3, round((close - entry) * qty * (buy ? 1 : -1), 4));
            ps.setString(4, "cls-" + id);
            ps.setLong(5, id);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        fill(c, "cls-" + id, symbol, !buy, close, qty, closedAt);
        return true;
    }

    /** A trailing stop: halfway to the entry price, on the trade and on its sltp order. */
    private static boolean moveStop(Connection c, Random rnd, long maxId) throws SQLException {
        Long id = pick(c, rnd, maxId, OPEN_ORDINARY);
        if (id == null) {
            return false;
        }
        double entry;
        double stop;
        boolean buy;
        long created;
        try (PreparedStatement ps = c.prepareStatement("SELECT entry_price, stop_loss, side, created_at FROM trades WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                entry = rs.getDouble(1);
                buy = rs.getString(3).equals("Buy");
                stop = rs.getObject(2) == null ? entry * (buy ? 0.97 : 1.03) : rs.getDouble(2);
                Long parsed = parseSeconds(rs.getString(4));
                created = parsed == null ? GENERATED_SPAN : parsed;
            }
        }
        double moved = price(stop + (entry - stop) * (0.3 + 0.4 * rnd.nextDouble()));
        if (moved == stop) {
            moved = price(stop * (buy ? 1.001 : 0.999));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE trades SET stop_loss = ? WHERE id = ?")) {
            ps.setDouble(1, moved);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sltp_orders SET stop_loss_price = ?, updated_at = ?::timestamptz WHERE trade_id = ?")) {
            ps.setDouble(1, moved);
            ps.setString(2, stamp(Math.min(YEAR_END, created + 600 + rnd.nextInt(86_400)), true));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        return true;
    }

    private static boolean insertSignal(Connection c, Random rnd) throws SQLException {
        String symbol = null;
        long created = 0;
        for (int attempt = 0; attempt < 20 && symbol == null; attempt++) {
            String s = SYMBOLS[pickSymbol(rnd)];
            long t = GENERATED_SPAN + (long) (rnd.nextDouble() * (YEAR_END - GENERATED_SPAN - 10));
            // a second signal at the same symbol and second would be a quirk, not the bot at work
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM signals WHERE symbol = ? AND left(replace(created_at, 'T', ' '), 19) = ?")) {
                ps.setString(1, s);
                ps.setString(2, time(t, 0, 0));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        symbol = s;
                        created = t;
                    }
                }
            }
        }
        if (symbol == null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signals (symbol, signal_type, created_at, processed_at, indicators,"
                + " predictions, model_name, score, raw_data, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'processed')")) {
            double pLong = round(rnd.nextDouble(), 3);
            ps.setString(1, symbol);
            ps.setString(2, SIGNAL_TYPES[rnd.nextInt(SIGNAL_TYPES.length)]);
            ps.setString(3, time(created, 0, 0));
            ps.setString(4, time(created + 2, 0, 0));
            ps.setString(5, "{\"rsi\": " + round(20 + 60 * rnd.nextDouble(), 2) + "}");
            ps.setString(6, "{\"long\": " + pLong + ", \"short\": " + round(1 - pLong, 3) + "}");
            ps.setString(7, MODELS[rnd.nextInt(MODELS.length)]);
            ps.setInt(8, rnd.nextInt(101));
            ps.setString(9, "{\"source\": \"bybit\", \"interval\": \"5\"}");
            ps.executeUpdate();
        }
        return true;
    }

    private static boolean deleteTrade(Connection c, Random rnd, long maxId) throws SQLException {
        Long id = pick(c, rnd, maxId, DELETABLE);
        if (id == null) {
            return false;
        }
        try (PreparedStatement a = c.prepareStatement("DELETE FROM sltp_orders WHERE trade_id = ?");
             PreparedStatement b = c.prepareStatement("DELETE FROM trades WHERE id = ?")) {
            a.setLong(1, id);
            a.executeUpdate();
            b.setLong(1, id);
            return b.executeUpdate() == 1;
        }
    }

    private static void fill(Connection c, String orderId, String symbol, boolean buy, double price, double qty, long at) throws SQLException {
        double value = round(price * qty, 6);
        double fee = Math.max(0.000001, round(value * 0.00055, 8));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bybit_trade_history (symbol, order_id, order_link_id, side, price, qty,"
                + " fee, fee_currency, order_type, created_time, updated_time, is_maker, reduce_only, cum_exec_qty, cum_exec_value,"
                + " cum_exec_fee, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'USDT', 'Market', ?::timestamp, ?::timestamp, false, true,"
                + " ?, ?, ?, ?::timestamp) ON CONFLICT (order_id) DO NOTHING")) {
            ps.setString(1, symbol);
            ps.setString(2, orderId);
            ps.setString(3, "link-" + orderId);
            ps.setString(4, buy ? "Buy" : "Sell");
            ps.setDouble(5, price);
            ps.setDouble(6, qty);
            ps.setDouble(7, fee);
            ps.setString(8, stamp(at, false));
            ps.setString(9, stamp(at + 1, false));
            ps.setDouble(10, qty);
            ps.setDouble(11, value);
            ps.setDouble(12, fee);
            ps.setString(13, stamp(Math.min(YEAR_END, at + 3_600), false));
            ps.executeUpdate();
        }
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}
