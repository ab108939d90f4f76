package dev.ferry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The v2 database the v2 migration is tested and benchmarked on: its shape, its quirks, the bot's changes. */
class V2DatabaseGeneratorTest {

    private static TestDatabase db;

    /**
     * What each quirk means, said in SQL over its table (aliased t) independently of the generator;
     * pg_temp.valid_json stands in for PostgreSQL 16's pg_input_is_valid.
     */
    private static final Map<String, String> HAS_QUIRK = Map.ofEntries(
            Map.entry("time-micros", "t.created_at ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$'"),
            Map.entry("time-offset", "t.created_at ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00$'"),
            Map.entry("null-order-id", "t.order_id IS NULL"),
            Map.entry("invalid-ml-data", "NOT pg_temp.valid_json(t.ml_data)"),
            Map.entry("mixed-case-side", "t.side NOT IN ('Buy', 'Sell') AND lower(t.side) IN ('buy', 'sell')"),
            Map.entry("unknown-status", "t.status NOT IN ('OPEN', 'CLOSE', 'CANCELED', 'REJECTED', 'PARTIAL')"),
            Map.entry("long-symbol", "length(t.symbol) > 20 AND length(t.symbol) <= 50"),
            Map.entry("duplicate-signal-time", "EXISTS (SELECT 1 FROM signals o WHERE o.id <> t.id AND o.symbol = t.symbol"
                    + " AND left(replace(o.created_at, 'T', ' '), 19) = left(replace(t.created_at, 'T', ' '), 19))"),
            Map.entry("mixed-case-signal-type", "t.signal_type <> upper(t.signal_type)"
                    + " AND upper(t.signal_type) IN ('LONG', 'SHORT', 'CLOSE_LONG', 'CLOSE_SHORT', 'NEUTRAL')"),
            Map.entry("closed-with-fee", "t.status = 'CLOSE' AND EXISTS (SELECT 1 FROM bybit_trade_history h"
                    + " WHERE h.order_id = t.close_order_id AND h.fee > 0 AND h.fee_currency = 'USDT')"),
            Map.entry("closed-without-fee", "t.status = 'CLOSE' AND t.close_order_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM bybit_trade_history h WHERE h.order_id = t.close_order_id)"),
            Map.entry("closed-null-close-order-id", "t.status = 'CLOSE' AND t.close_order_id IS NULL"),
            Map.entry("zero-quantity", "t.quantity <= 0"),
            Map.entry("unparseable-time", "'not-a-time' IN (t.created_at, t.closed_at)"));

    @BeforeAll
    static void database() {
        db = new TestDatabase(V2DatabaseGeneratorTest.class);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void smallHasItsCountsAndEveryQuirkAtTheRowsItNames() throws Exception {
        V2DatabaseGenerator gen = V2DatabaseGenerator.small();
        try (Connection c = db.connect()) {
            gen.create(c);
            assertThat(count(c, "SELECT count(*) FROM trades")).isEqualTo(60);
            assertThat(count(c, "SELECT count(*) FROM signals")).isEqualTo(30);
            assertThat(count(c, "SELECT count(*) FROM sltp_orders")).isEqualTo(20);
            assertThat(count(c, "SELECT count(*) FROM bybit_trade_history")).isEqualTo(40);
            assertThat(count(c, "SELECT count(*) FROM trading_sessions")).isEqualTo(5);

            assertThat(HAS_QUIRK.keySet()).containsExactlyInAnyOrderElementsOf(V2DatabaseGenerator.quirkNames());
            try (Statement st = c.createStatement()) {
                st.execute("CREATE FUNCTION pg_temp.valid_json(v text) RETURNS boolean LANGUAGE plpgsql AS"
                        + " $$ BEGIN PERFORM v::json; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$");
            }
            for (String quirk : V2DatabaseGenerator.quirkNames()) {
                List<Integer> ids = gen.idsWith(quirk);
                String table = V2DatabaseGenerator.tableOf(quirk);
                assertThat(ids).as(quirk).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
                String in = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
                assertThat(count(c, "SELECT count(*) FROM " + table + " t WHERE t.id IN (" + in + ") AND " + HAS_QUIRK.get(quirk)))
                        .as(quirk + " on " + table + " " + ids).isEqualTo(ids.size());
                // the list is complete as well: no other row has the quirk
                assertThat(count(c, "SELECT count(*) FROM " + table + " t WHERE " + HAS_QUIRK.get(quirk)))
                        .as("rows of " + table + " with " + quirk).isEqualTo(ids.size());
            }
        }
    }

    @Test
    void smallIsShapedLikeTheBotsDatabase() throws Exception {
        try (Connection c = db.connect()) {
            V2DatabaseGenerator.small().create(c);
            try (Statement st = c.createStatement()) {
                // v2's naive times are UTC; the casts below read them in the session's zone
                st.execute("SET TIME ZONE 'UTC'");
            }
            assertThat(count(c, "SELECT count(*) FROM trades WHERE status = 'CLOSE'")).isBetween(30L, 45L);
            assertThat(count(c, "SELECT count(*) FROM trades WHERE status = 'CLOSE' AND (closed_at IS NULL OR close_price IS NULL OR pnl IS NULL)"))
                    .isZero();
            assertThat(count(c, "SELECT count(*) FROM trades WHERE order_id IS NOT NULL AND order_id !~ '^ord-\\d+$'")).isZero();
            assertThat(count(c, "SELECT count(*) - count(DISTINCT order_id) FROM trades WHERE order_id IS NOT NULL")).isZero();
            assertThat(count(c, "SELECT count(*) FROM trades WHERE close_order_id !~ '^cls-\\d+$'")).isZero();
            // times that parse lie in 2024, a close after its open
            String parses = "'not-a-time' NOT IN (created_at, coalesce(closed_at, ''))";
            assertThat(count(c, "SELECT count(*) FROM trades WHERE " + parses + " AND (created_at::timestamptz < '2024-01-01Z'"
                    + " OR coalesce(closed_at, created_at)::timestamptz > '2024-12-31 23:59:59Z' OR closed_at::timestamptz <= created_at::timestamptz)"))
                    .isZero();
            // most history rows are fills of closing orders, every one with a fee
            assertThat(count(c, "SELECT count(*) FROM bybit_trade_history h JOIN trades t ON t.close_order_id = h.order_id")).isGreaterThan(20);
            assertThat(count(c, "SELECT count(*) FROM bybit_trade_history WHERE NOT (fee > 0)")).isZero();
            assertThat(count(c, "SELECT count(*) FROM trades t WHERE session_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM trading_sessions s WHERE s.session_id = t.session_id)")).isZero();
            assertThat(count(c, "SELECT count(DISTINCT session_id) FROM trades")).isEqualTo(5);
            assertThat(count(c, "SELECT count(*) FROM signals WHERE upper(signal_type) NOT IN ('LONG', 'SHORT', 'CLOSE_LONG', 'CLOSE_SHORT', 'NEUTRAL')"))
                    .isZero();
            assertThat(count(c, "SELECT count(*) FROM orders")).isEqualTo(30);
            // the sequences moved past the loaded ids: the bot's next row gets a fresh one
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("INSERT INTO trades (symbol, side, status) VALUES ('BTCUSDT', 'Buy', 'OPEN')");
                assertThat(count(c, "SELECT max(id) FROM trades")).isEqualTo(61);
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void withoutQuirksNothingIsQuirkyButTheFeesTheHistoryLeavesOut() throws Exception {
        V2DatabaseGenerator gen = V2DatabaseGenerator.small().quirks(false).tablePrefix("clean_");
        try (Connection c = db.connect()) {
            gen.create(c);
            for (String quirk : V2DatabaseGenerator.quirkNames()) {
                if (!quirk.startsWith("closed-with")) {
                    assertThat(gen.idsWith(quirk)).as(quirk).isEmpty();
                }
            }
            assertThat(count(c, "SELECT count(*) FROM clean_trades WHERE side NOT IN ('Buy', 'Sell') OR order_id IS NULL OR quantity <= 0"
                    + " OR length(symbol) > 20 OR created_at !~ '^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM clean_sltp_orders s JOIN clean_trades t ON t.id = s.trade_id")).isEqualTo(20);
        }
    }

    @Test
    void theSameSeedGivesTheSameRowsAndTheSameChanges() throws Exception {
        try (Connection c = db.connect()) {
            V2DatabaseGenerator.small().seed(7).create(c);
            String first = digest(c);
            V2DatabaseGenerator.small().seed(7).create(c);
            assertThat(digest(c)).isEqualTo(first);
            V2DatabaseGenerator.small().seed(8).create(c);
            assertThat(digest(c)).isNotEqualTo(first);
            for (String quirk : V2DatabaseGenerator.quirkNames()) {
                assertThat(V2DatabaseGenerator.small().seed(8).idsWith(quirk)).as(quirk).isEqualTo(V2DatabaseGenerator.small().idsWith(quirk));
            }

            V2DatabaseGenerator.small().seed(7).create(c);
            V2DatabaseGenerator.mutate(c, 20, 3);
            String mutated = digest(c);
            V2DatabaseGenerator.small().seed(7).create(c);
            V2DatabaseGenerator.mutate(c, 20, 3);
            assertThat(digest(c)).isEqualTo(mutated).isNotEqualTo(first);
        }
    }

    @Test
    void mutateMakesTheChangesItCounts() throws Exception {
        V2DatabaseGenerator gen = V2DatabaseGenerator.small();
        try (Connection c = db.connect()) {
            gen.create(c);
            long trades = count(c, "SELECT count(*) FROM trades");
            long closed = count(c, "SELECT count(*) FROM trades WHERE status = 'CLOSE'");
            long signals = count(c, "SELECT count(*) FROM signals");
            long fills = count(c, "SELECT count(*) FROM bybit_trade_history");
            Map<Long, Double> stops = stops(c);

            Map<String, Long> done = V2DatabaseGenerator.mutate(c, 20, 11);

            assertThat(done).containsOnlyKeys("inserted", "closed", "moved", "signals", "deleted");
            assertThat(done.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
            assertThat(done.get("inserted")).isEqualTo(8);
            assertThat(done.get("closed")).isPositive();
            assertThat(done.get("moved")).isPositive();
            assertThat(done.get("signals")).isEqualTo(2);
            assertThat(done.get("deleted")).isEqualTo(2);
            assertThat(count(c, "SELECT count(*) FROM trades")).isEqualTo(trades + done.get("inserted") - done.get("deleted"));
            assertThat(count(c, "SELECT count(*) FROM trades WHERE status = 'CLOSE'")).isGreaterThan(closed);
            assertThat(count(c, "SELECT count(*) FROM signals")).isEqualTo(signals + done.get("signals"));
            assertThat(count(c, "SELECT count(*) FROM bybit_trade_history")).isGreaterThanOrEqualTo(fills + done.get("closed"));
            Map<Long, Double> after = stops(c);
            long movedStops = stops.entrySet().stream()
                    .filter(e -> after.containsKey(e.getKey()) && !after.get(e.getKey()).equals(e.getValue())).count();
            assertThat(movedStops).isPositive();
            // every closed trade still has what a close sets; new trades got fresh ids and order ids
            assertThat(count(c, "SELECT count(*) FROM trades WHERE status = 'CLOSE' AND (closed_at IS NULL OR close_price IS NULL OR pnl IS NULL)"))
                    .isZero();
            assertThat(count(c, "SELECT count(*) FROM trades WHERE id > 60 AND order_id <> 'ord-' || id")).isZero();
            // the bot left the planned quirk rows alone
            for (String quirk : List.of("null-order-id", "unknown-status", "zero-quantity", "unparseable-time", "closed-without-fee")) {
                String in = gen.idsWith(quirk).stream().map(String::valueOf).collect(Collectors.joining(", "));
                assertThat(count(c, "SELECT count(*) FROM trades WHERE id IN (" + in + ")")).as(quirk).isEqualTo(gen.idsWith(quirk).size());
            }
        }
    }

    @Test
    void seedsPlatformSignalsAtTheTimesOfV2Signals() throws Exception {
        V2DatabaseGenerator gen = V2DatabaseGenerator.small().tablePrefix("v2_");
        try (Connection c = db.connect()) {
            gen.create(c);
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS v3 CASCADE");
                st.execute("CREATE SCHEMA v3");
                st.execute("CREATE TYPE v3.signaltype AS ENUM ('LONG', 'SHORT', 'CLOSE_LONG', 'CLOSE_SHORT', 'NEUTRAL')");
                st.execute("CREATE TABLE v3.signals (id serial PRIMARY KEY, symbol varchar(20) NOT NULL, exchange varchar(50) NOT NULL,"
                        + " signal_type v3.signaltype NOT NULL, strength float8, confidence float8, suggested_price float8,"
                        + " suggested_quantity float8, suggested_stop_loss float8, suggested_take_profit float8,"
                        + " strategy_name varchar(100) NOT NULL, timeframe varchar(10), created_at timestamptz, expires_at timestamptz,"
                        + " indicators json, extra_data json)");
            }
            try (Connection v3 = db.connect()) {
                try (Statement st = v3.createStatement()) {
                    st.execute("SET search_path = v3");
                }
                gen.seedV3Signals(c, v3, 1.0);
            }
            // every v2 signal is valid (the long symbols are trades'), so each has its platform twin to the second
            assertThat(count(c, "SELECT count(*) FROM v3.signals")).isEqualTo(30);
            assertThat(count(c, "SELECT count(*) FROM v2_signals v WHERE NOT EXISTS (SELECT 1 FROM v3.signals s WHERE s.symbol = v.symbol"
                    + " AND s.created_at = date_trunc('second', (v.created_at || CASE WHEN v.created_at ~ '[+-]\\d\\d:\\d\\d$' THEN '' ELSE '+00' END)::timestamptz)"
                    + " AND s.signal_type::text = upper(v.signal_type))")).isZero();
            assertThat(count(c, "SELECT count(*) FROM v3.signals WHERE exchange <> 'bybit' OR strategy_name <> 'platform'"
                    + " OR extra_data::text <> '{\"source\":\"platform\"}'")).isZero();

            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE v3.signals");
            }
            try (Connection v3 = db.connect()) {
                try (Statement st = v3.createStatement()) {
                    st.execute("SET search_path = v3");
                }
                gen.seedV3Signals(c, v3, 0.5);
            }
            assertThat(count(c, "SELECT count(*) FROM v3.signals")).isEqualTo(15);
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA v3 CASCADE");
            }
        }
    }

    private static Map<Long, Double> stops(Connection c) throws SQLException {
        Map<Long, Double> stops = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, stop_loss FROM trades")) {
            while (rs.next()) {
                stops.put(rs.getLong(1), rs.getDouble(2));
            }
        }
        return stops;
    }

    private static String digest(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) FROM trades t")) {
            rs.next();
            String trades = rs.getString(1);
            try (ResultSet all = st.executeQuery("SELECT md5(concat((SELECT string_agg(s::text, E'\\n' ORDER BY s.id) FROM signals s),"
                    + " (SELECT string_agg(h::text, E'\\n' ORDER BY h.id) FROM bybit_trade_history h),"
                    + " (SELECT string_agg(o::text, E'\\n' ORDER BY o.id) FROM sltp_orders o)))")) {
                all.next();
                return trades + "/" + all.getString(1);
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
