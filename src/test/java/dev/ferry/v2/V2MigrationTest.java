package dev.ferry.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.report.ValidationResult;
import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import dev.ferry.v2.report.V2Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The v2 -> v3 migration through its route, as the CLI and JMX send it: a generated v2 database
 * with the quirks of formats §3 and a v3 database, both fresh per test, on the real PostgreSQL.
 * Pages of 25 ids, so even the small database is read in many pages.
 */
class V2MigrationTest extends FerryTestSupport {

    private TestDatabase v2;
    private TestDatabase v3;
    private V2DatabaseGenerator gen;

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.v2.page-rows", "25");
    }

    @AfterEach
    void dropPair() {
        if (v2 != null) {
            v2.close();
        }
        if (v3 != null) {
            v3.close();
        }
    }

    private void freshPair(String name, boolean quirks) throws Exception {
        v2 = new TestDatabase(getClass(), name + "_v2");
        v3 = new TestDatabase(getClass(), name + "_v3");
        gen = V2DatabaseGenerator.small().quirks(quirks);
        try (Connection c = v2.connect()) {
            gen.create(c);
        }
    }

    private V2Result v2(String command, Map<String, Object> extra) {
        Map<String, Object> h = new HashMap<>(extra);
        h.put("FerryV2Command", command);
        h.put("FerryV2Source", v2.url());
        h.put("FerryV2Target", v3.url());
        return ferry.template().requestBodyAndHeaders("direct:v2", null, h, V2Result.class);
    }

    private V2Result migrate() {
        Map<String, Object> h = new HashMap<>(Map.of("FerryV2Source", v2.url(), "FerryV2Target", v3.url(), "FerryV2CreateV3", true));
        return ferry.template().requestBodyAndHeaders("direct:v2-migrate", null, h, V2Result.class);
    }

    private static void assertAddsUp(V2Result r) {
        assertThat(r.getTables()).isNotEmpty();
        r.getTables().forEach((table, t) -> assertThat(t.getRead()).as(table + ": read = loaded + updated + unchanged + rejected")
                .isEqualTo(t.getLoaded() + t.getUpdated() + t.getUnchanged() + t.getRejected()));
    }

    /**
     * Every row of v3's tables, ids included, over the columns the tables have now: what "the exact
     * prior content" means for a rollback. Pass the same columns again after the rollback, since
     * without --with-schema the compatibility change's (empty) columns are still there.
     */
    private String exactContent() {
        return exactContent(platformColumns());
    }

    private Map<String, String> platformColumns() {
        Map<String, String> cols = new java.util.LinkedHashMap<>();
        for (String t : List.of("orders", "trades", "signals", "balances", "performance")) {
            cols.put(t, v3.text("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                    + "WHERE attrelid = '" + t + "'::regclass AND attnum > 0 AND NOT attisdropped"));
        }
        return cols;
    }

    private String exactContent(Map<String, String> columns) {
        StringBuilder sql = new StringBuilder("SELECT md5(coalesce(string_agg(t, E'\\n' ORDER BY n, id), '')) FROM (");
        int i = 0;
        for (Map.Entry<String, String> e : columns.entrySet()) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i++).append(" AS n, id, row(").append(e.getValue())
                    .append(")::text AS t FROM ").append(e.getKey());
        }
        return v3.text(sql.append(") rows").toString());
    }

    /** The platform's catalog: every schema but the system's and the schema engine's own history (which keeps the undo). */
    private String catalog() {
        return v3.text("SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)) "
                + "FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'ferry', 'ferry_schema')");
    }

    // ---- the mapping and each quirk ----------------------------------------------------------

    @Test
    void fullPassMapsEveryRuleAndQuirkAndValidates() throws Exception {
        freshPair("full", true);
        V2Result r = migrate();

        assertThat(r.getStatus()).as(r.summaryLine()).isEqualTo(V2Result.Status.OK_WITH_REJECTS);
        assertAddsUp(r);
        assertThat(r.getValidation().isValid()).as(String.valueOf(r.getValidation().getMismatches())).isTrue();
        long v2Trades = v2.count("SELECT count(*) FROM trades");
        assertThat(r.getTables().get("trades").getRead()).isEqualTo(v2Trades);
        // every trade that is not rejected is a v3 order, the NULL order ids included
        long rejectedTrades = v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE v2_table = 'trades' AND NOT warning");
        assertThat(v3.count("SELECT count(*) FROM orders")).isEqualTo(v2Trades - rejectedTrades);

        for (int id : gen.idsWith(V2DatabaseGenerator.NULL_ORDER_ID)) {
            assertThat(v3.count("SELECT count(*) FROM orders WHERE order_id = 'v2-trade-" + id + "'")).as("trade " + id).isEqualTo(1);
            assertThat(v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE warning AND v2_id = " + id + " AND column_name = 'order_id'")).isEqualTo(1);
        }
        for (int id : gen.idsWith(V2DatabaseGenerator.MIXED_CASE_SIDE)) {
            String v2Side = v2.text("SELECT side FROM trades WHERE id = " + id);
            String v3Side = v3.text("SELECT side::text FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + id);
            assertThat(v3Side).as("side " + v2Side).isEqualTo(v2Side.toUpperCase());
        }
        for (String spelling : List.of(V2DatabaseGenerator.TIME_MICROS, V2DatabaseGenerator.TIME_OFFSET)) {
            for (int id : gen.idsWith(spelling)) {
                String text = v2.text("SELECT created_at FROM trades WHERE id = " + id);
                // PostgreSQL's own reading of the text, in UTC (the configured source zone), is the reference
                boolean offset = text.matches(".*[+-]\\d\\d:\\d\\d$");
                String expected = v2.text("SELECT to_char('" + text + "'::" + (offset ? "timestamptz AT TIME ZONE 'UTC'" : "timestamp")
                        + ", 'YYYY-MM-DD HH24:MI:SS.US')");
                assertThat(v3.text("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM orders "
                        + "WHERE (extra_data->>'v2_trade_id')::int = " + id))
                        .as(spelling + " " + text).isEqualTo(expected);
            }
        }
        for (int id : gen.idsWith(V2DatabaseGenerator.INVALID_ML_DATA)) {
            assertThat(v3.text("SELECT json_typeof(extra_data->'ml_data') FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + id)).isEqualTo("string");
            assertThat(v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE warning AND v2_id = " + id + " AND column_name = 'ml_data'")).isEqualTo(1);
        }
        assertRejected(V2DatabaseGenerator.UNKNOWN_STATUS, "status", "EXPIRED_X");
        assertRejected(V2DatabaseGenerator.LONG_SYMBOL, "symbol", null);
        assertRejected(V2DatabaseGenerator.ZERO_QUANTITY, "quantity", null);
        for (int id : gen.idsWith(V2DatabaseGenerator.UNPARSEABLE_TIME)) {
            assertThat(v3.text("SELECT value FROM ferry_v2.rejects WHERE NOT warning AND v2_table = 'trades' AND v2_id = " + id)).isEqualTo("not-a-time");
        }
        // closed trades: commission from the closing order's history row, else 0 with a warning
        assertThat(gen.idsWith(V2DatabaseGenerator.CLOSED_WITH_FEE)).isNotEmpty();
        for (int id : gen.idsWith(V2DatabaseGenerator.CLOSED_WITH_FEE)) {
            if (isRejected(id)) {
                continue;
            }
            String fee = v2.text("SELECT h.fee::text FROM trades t JOIN bybit_trade_history h ON h.order_id = t.close_order_id WHERE t.id = " + id);
            assertThat(v3.text("SELECT t.commission::text FROM trades t JOIN ferry_v2.written w ON w.v3_table = 'trades' AND w.v3_id = t.id "
                    + "WHERE w.v2_id = " + id)).as("trade " + id).isEqualTo(fee);
        }
        for (int id : gen.idsWith(V2DatabaseGenerator.CLOSED_WITHOUT_FEE)) {
            if (isRejected(id)) {
                continue;
            }
            assertThat(v3.text("SELECT t.commission::text FROM trades t JOIN ferry_v2.written w ON w.v3_table = 'trades' AND w.v3_id = t.id "
                    + "WHERE w.v2_id = " + id)).isEqualTo("0");
            assertThat(v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE warning AND v2_id = " + id + " AND column_name = 'commission'")).isEqualTo(1);
        }
        for (int id : gen.idsWith(V2DatabaseGenerator.CLOSED_NULL_CLOSE_ORDER_ID)) {
            if (isRejected(id)) {
                continue;
            }
            String orderId = v3.text("SELECT order_id FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + id);
            assertThat(v3.count("SELECT count(*) FROM trades WHERE trade_id = '" + orderId + "_close'")).as("trade " + id).isEqualTo(1);
        }
        // the closed trades' v3 trades: one per CLOSE trade with a closed_at, at the closing price
        assertThat(v3.count("SELECT count(*) FROM trades")).isEqualTo(v3.count(
                "SELECT count(*) FROM ferry_v2.written WHERE v3_table = 'trades'"));
        // every v2 signal is in v3 (the guide's UPDATE lost them all): no platform signals here, so all inserted
        long rejectedSignals = v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE v2_table = 'signals' AND NOT warning");
        assertThat(v3.count("SELECT count(*) FROM signals")).isEqualTo(v2.count("SELECT count(*) FROM signals") - rejectedSignals);
        // two v2 signals at one symbol and second, and no platform signal there: nothing to guess, both are inserted
        assertThat(gen.idsWith(V2DatabaseGenerator.DUPLICATE_SIGNAL_TIME)).isNotEmpty();
        for (int id : gen.idsWith(V2DatabaseGenerator.DUPLICATE_SIGNAL_TIME)) {
            assertThat(v3.count("SELECT count(*) FROM signals WHERE (extra_data->>'v2_signal_id')::int = " + id)).as("signal " + id).isEqualTo(1);
        }
        for (int id : gen.idsWith(V2DatabaseGenerator.MIXED_CASE_SIGNAL_TYPE)) {
            String type = v2.text("SELECT signal_type FROM signals WHERE id = " + id);
            assertThat(v3.text("SELECT signal_type::text FROM signals WHERE (extra_data->>'v2_signal_id')::int = " + id)).isEqualTo(type.toUpperCase());
        }
        // sltp orders point at the v3 order made from their v2 trade
        assertThat(v3.count("SELECT count(*) FROM sltp_orders s JOIN orders o ON o.id = s.trade_id")).isEqualTo(v3.count("SELECT count(*) FROM sltp_orders"));
        String v2Links = v2.text("SELECT string_agg(s.id || '>' || s.trade_id, ',' ORDER BY s.id) FROM sltp_orders s");
        String v3Links = v3.text("SELECT string_agg(s.v2_id || '>' || (o.extra_data->>'v2_trade_id'), ',' ORDER BY s.v2_id) FROM sltp_orders s "
                + "JOIN orders o ON o.id = s.trade_id");
        long sltpRejected = v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE v2_table = 'sltp_orders' AND NOT warning");
        if (sltpRejected == 0) {
            assertThat(v3Links).isEqualTo(v2Links);
        } else {
            assertThat(v2Links.split(",")).contains(v3Links.split(","));
        }
        assertThat(v3.count("SELECT count(*) FROM bybit_trade_history")).isEqualTo(v2.count("SELECT count(*) FROM bybit_trade_history"));
        assertThat(v3.count("SELECT count(*) FROM trading_sessions")).isEqualTo(v2.count("SELECT count(*) FROM trading_sessions"));
    }

    // ---- reruns, sync, validation, rollback ------------------------------------------------

    @Test
    void rerunChangesNothingAndSkipsEveryPage() throws Exception {
        freshPair("rerun", true);
        migrate();
        String before = exactContent();
        V2Result again = migrate();

        assertAddsUp(again);
        again.getTables().forEach((table, t) -> {
            assertThat(t.getLoaded() + t.getUpdated()).as(table).isZero();
            assertThat(t.getUnchanged()).as(table).isEqualTo(t.getRead());
        });
        assertThat(again.getPagesRead()).isZero();
        assertThat(again.getPagesSkipped()).isPositive();
        assertThat(exactContent()).isEqualTo(before);
        assertThat(again.getValidation().isValid()).isTrue();
    }

    @Test
    void syncLoadsInsertsAndClosesAndReportsDeletes() throws Exception {
        freshPair("sync", false);
        migrate();
        long ordersBefore = v3.count("SELECT count(*) FROM orders");
        long tradesBefore = v3.count("SELECT count(*) FROM trades");
        Map<String, Long> changes;
        try (Connection c = v2.connect()) {
            changes = V2DatabaseGenerator.mutate(c, 20, 7);
        }
        V2Result sync = v2("sync", Map.of());

        assertThat(sync.getStatus()).as(sync.summaryLine()).isEqualTo(V2Result.Status.OK);
        assertAddsUp(sync);
        V2Result.TableCounts trades = sync.getTables().get("trades");
        assertThat(trades.getLoaded()).isEqualTo(changes.get("inserted"));
        // a trade both moved and closed is one update; the validation below checks each row
        assertThat(trades.getUpdated()).isPositive().isLessThanOrEqualTo(changes.get("closed") + changes.get("moved"));
        assertThat(trades.getDeletedInV2()).isEqualTo(changes.get("deleted"));
        // deletes are reported, and their v3 rows kept (ferry.v2.sync.deletes=report)
        assertThat(v3.count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore + changes.get("inserted"));
        // each open trade that closed got its v3 trade, and its order is FILLED
        long closedNow = v2.count("SELECT count(*) FROM trades WHERE status = 'CLOSE' AND closed_at IS NOT NULL");
        assertThat(v3.count("SELECT count(*) FROM trades")).isGreaterThan(tradesBefore);
        assertThat(v3.count("SELECT count(*) FROM trades t JOIN ferry_v2.source_rows s ON s.v2_table = 'trades' AND NOT s.deleted "
                + "JOIN ferry_v2.written w ON w.v2_table = 'trades' AND w.v2_id = s.v2_id AND w.v3_table = 'trades' AND w.v3_id = t.id"))
                .isEqualTo(closedNow);
        assertThat(sync.getNotes()).anyMatch(n -> n.contains("was deleted in v2"));

        V2Result validation = v2("validate", Map.of());
        assertThat(validation.getValidation().isValid()).as(String.valueOf(validation.getValidation().getMismatches())).isTrue();
        assertThat(validation.getValidation().getWarnings()).anyMatch(w -> w.contains("deleted since"));
        // and a second sync has nothing left to do
        V2Result idle = v2("sync", Map.of());
        idle.getTables().forEach((table, t) -> assertThat(t.getLoaded() + t.getUpdated()).as(table).isZero());
    }

    @Test
    void dryRunCountsEverythingAndChangesNothing() throws Exception {
        freshPair("dryrun", false);
        migrate();
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.mutate(c, 20, 11);
        }
        // a stop-loss order of a trade that is new since the pass
        v2.execute("INSERT INTO sltp_orders (trade_id, symbol, side, stop_loss_price) SELECT max(id), 'BTCUSDT', 'Buy', 1 FROM trades");
        String before = exactContent();
        long lineage = v3.count("SELECT count(*) FROM ferry_v2.source_rows");

        V2Result dry = v2("migrate", Map.of("FerryDryRun", true));

        assertThat(dry.isDryRun()).isTrue();
        assertAddsUp(dry);
        V2Result.TableCounts trades = dry.getTables().get("trades");
        assertThat(trades.getLoaded() + trades.getUpdated()).isPositive();
        // one transaction for the whole dry run: the new trades' sltp orders find the orders the dry run made
        assertThat(dry.getTables().get("sltp_orders").getLoaded()).isEqualTo(1);
        assertThat(dry.getTables().get("sltp_orders").getRejected()).isZero();
        assertThat(exactContent()).isEqualTo(before);
        assertThat(v3.count("SELECT count(*) FROM ferry_v2.source_rows")).isEqualTo(lineage);
    }

    @Test
    void validationNamesAV3RowChangedByHand() throws Exception {
        freshPair("handedit", false);
        migrate();
        v3.execute("UPDATE orders SET price = price + 1 WHERE id = (SELECT min(id) FROM orders)");
        v3.execute("DELETE FROM trades WHERE id = (SELECT min(id) FROM trades)");

        ValidationResult v = v2("validate", Map.of()).getValidation();

        assertThat(v.isValid()).isFalse();
        assertThat(v.getMismatches()).anyMatch(m -> "price".equals(m.field()) && m.row().startsWith("orders id"));
        assertThat(v.getMismatches()).anyMatch(m -> m.row() != null && m.row().startsWith("trades id") && "deleted from v3".equals(m.databaseValue()));
    }

    @Test
    void platformSignalsAreEnrichedAmbiguousOnesReportedAndRollbackRestoresTheExactV3() throws Exception {
        freshPair("rollback", true);
        // a v3 that already has the platform's base schema and its own signals, some at the v2 signals' second
        try (Connection c3 = v3.connect(); Connection c2 = v2.connect()) {
            try (var st = c3.createStatement()) {
                st.execute(new String(getClass().getClassLoader().getResourceAsStream("v2/v3-base.sql").readAllBytes()));
            }
            gen.seedV3Signals(c2, c3, 0.5);
        }
        v3.execute("INSERT INTO orders (exchange, symbol, order_id, side, order_type, status, quantity) VALUES ('bybit', 'BTCUSDT', 'platform-1', 'BUY', 'LIMIT', 'OPEN', 1)");
        // and one of its own at the second of the first two v2 signals that share a second
        int first = gen.idsWith(V2DatabaseGenerator.DUPLICATE_SIGNAL_TIME).get(0);
        String symbol = v2.text("SELECT symbol FROM signals WHERE id = " + first);
        String at = v2.text("SELECT created_at FROM signals WHERE id = " + first);
        v3.execute("DELETE FROM signals WHERE symbol = '" + symbol + "' AND date_trunc('second', created_at) = date_trunc('second', '" + at + "'::timestamp AT TIME ZONE 'UTC')");
        v3.execute("INSERT INTO signals (symbol, exchange, signal_type, strategy_name, created_at, extra_data) VALUES ('" + symbol
                + "', 'bybit', 'LONG', 'platform', '" + at + "'::timestamp AT TIME ZONE 'UTC', '{\"source\":\"pinned\"}')");
        Map<String, String> platform = platformColumns();
        String original = exactContent(platform);
        String originalCatalog = catalog();
        long platformSignals = v3.count("SELECT count(*) FROM signals");

        V2Result r = migrate();
        assertThat(r.getValidation().isValid()).as(String.valueOf(r.getValidation().getMismatches())).isTrue();
        V2Result.TableCounts signals = r.getTables().get("signals");
        assertThat(signals.getEnriched()).isPositive();
        // the platform's signals are enriched, not duplicated: v3 has its own plus the v2 signals that matched none
        assertThat(v3.count("SELECT count(*) FROM signals WHERE extra_data->>'source' = 'platform' AND ml_predictions IS NOT NULL"))
                .isEqualTo(signals.getEnriched());
        assertThat(v3.count("SELECT count(*) FROM signals")).isEqualTo(platformSignals + signals.getLoaded() - signals.getEnriched());
        // two v2 signals at the second of one platform signal: reported as ambiguous, never guessed
        List<Integer> same = gen.idsWith(V2DatabaseGenerator.DUPLICATE_SIGNAL_TIME);
        for (int id : same.subList(0, 2)) {
            assertThat(v3.text("SELECT outcome FROM ferry_v2.source_rows WHERE v2_table = 'signals' AND v2_id = " + id)).as("signal " + id).isEqualTo("ambiguous");
            assertThat(v3.text("SELECT reason FROM ferry_v2.rejects WHERE v2_table = 'signals' AND NOT warning AND v2_id = " + id)).startsWith("ambiguous match");
        }
        assertThat(v3.count("SELECT count(*) FROM signals WHERE extra_data->>'source' = 'pinned' AND ml_predictions IS NULL")).isEqualTo(1);

        // a sync overwrites a row; rollback of everything must give back v3 exactly as it was
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.mutate(c, 10, 3);
        }
        v2("sync", Map.of());
        V2Result refused = v2("rollback", Map.of("FerryV2All", true));
        assertThat(refused.getStatus()).isEqualTo(V2Result.Status.REFUSED);
        assertThat(refused.getMessage()).contains("--confirm DELETE");

        V2Result dry = v2("rollback", Map.of("FerryV2All", true, "FerryDryRun", true));
        assertThat(dry.ok()).as(dry.summaryLine()).isTrue();
        assertThat(exactContent(platform)).isNotEqualTo(original);

        V2Result undone = v2("rollback", Map.of("FerryV2All", true, "FerryConfirm", "DELETE"));
        assertThat(undone.ok()).as(undone.summaryLine()).isTrue();
        assertThat(exactContent(platform)).isEqualTo(original);

        // the same again with the schema: the catalog is the platform's again too
        migrate();
        V2Result withSchema = v2("rollback", Map.of("FerryV2All", true, "FerryV2WithSchema", true, "FerryConfirm", "DELETE"));
        assertThat(withSchema.ok()).as(withSchema.summaryLine() + " " + withSchema.getNotes()).isTrue();
        assertThat(exactContent(platform)).isEqualTo(original);
        assertThat(platformColumns()).isEqualTo(platform);
        assertThat(catalog()).isEqualTo(originalCatalog);
        assertThat(v3.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry_v2'")).isZero();
    }

    @Test
    void rollbackRefusesRowsChangedSinceUnlessForced() throws Exception {
        freshPair("refuse", false);
        V2Result first = migrate();
        v3.execute("UPDATE orders SET stop_loss = 1 WHERE id = (SELECT min(id) FROM orders)");
        long orders = v3.count("SELECT count(*) FROM orders");

        V2Result refused = v2("rollback", Map.of("FerryRunId", first.getRunId(), "FerryConfirm", "DELETE"));
        assertThat(refused.getStatus()).isEqualTo(V2Result.Status.REFUSED);
        assertThat(refused.getKept()).anyMatch(k -> k.startsWith("orders id"));
        assertThat(v3.count("SELECT count(*) FROM orders")).isEqualTo(orders);

        V2Result forced = v2("rollback", Map.of("FerryRunId", first.getRunId(), "FerryConfirm", "DELETE", "FerryForce", true));
        assertThat(forced.ok()).as(forced.summaryLine()).isTrue();
        assertThat(v3.count("SELECT count(*) FROM orders")).isZero();
        V2Result twice = v2("rollback", Map.of("FerryRunId", first.getRunId(), "FerryConfirm", "DELETE"));
        assertThat(twice.getStatus()).isEqualTo(V2Result.Status.REFUSED);
        assertThat(twice.getMessage()).contains("rolled back already");
    }

    @Test
    void aRowThePlatformsOwnRuleRefusesIsRejectedWithItsReasonAndTheRestOfItsPageLoads() throws Exception {
        freshPair("platformrule", false);
        v2.execute("UPDATE trades SET quantity = 987654.5 WHERE id = 5");
        try (Connection c3 = v3.connect(); var st = c3.createStatement()) {
            st.execute(new String(getClass().getClassLoader().getResourceAsStream("v2/v3-base.sql").readAllBytes()));
            st.execute("ALTER TABLE orders ADD CONSTRAINT platform_max_quantity CHECK (quantity <> 987654.5)");
        }
        V2Result r = v2("migrate", Map.of());

        assertThat(r.getStatus()).as(r.summaryLine()).isEqualTo(V2Result.Status.OK_WITH_REJECTS);
        assertAddsUp(r);
        assertThat(r.getTables().get("trades").getRejected()).isEqualTo(1);
        assertThat(v3.text("SELECT reason FROM ferry_v2.rejects WHERE v2_table = 'trades' AND v2_id = 5 AND NOT warning")).contains("platform_max_quantity");
        assertThat(v3.count("SELECT count(*) FROM orders")).isEqualTo(v2.count("SELECT count(*) FROM trades") - 1);
        assertThat(r.getValidation().isValid()).as(String.valueOf(r.getValidation().getMismatches())).isTrue();
        // fixed in v2, the next sync loads it
        v2.execute("UPDATE trades SET quantity = 1 WHERE id = 5");
        V2Result sync = v2("sync", Map.of());
        assertThat(sync.getTables().get("trades").getLoaded()).isEqualTo(1);
        assertThat(v3.count("SELECT count(*) FROM orders WHERE (extra_data->>'v2_trade_id')::int = 5")).isEqualTo(1);
    }

    @Test
    void missingV3BaseIsNamedAndNothingIsWritten() throws Exception {
        freshPair("nobase", false);
        V2Result r = v2("migrate", Map.of());
        assertThat(r.getStatus()).isEqualTo(V2Result.Status.REFUSED);
        assertThat(r.getMessage()).contains("orders", "trades", "signals", "--create-v3");
        assertThat(v3.count("SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'ferry_v2')")).isZero();
    }

    @Test
    void cutoverAfterAWriterStopsSaysSafeToSwitchAndStopsTheSync() throws Exception {
        freshPair("cutover", false);
        migrate();
        ferry.context().getRouteController().startRoute("v2-sync");
        // the bot keeps trading while syncs run, and stops just before the cutover
        Thread writer = new Thread(() -> {
            try (Connection c = v2.connect()) {
                for (int i = 0; i < 10; i++) {
                    V2DatabaseGenerator.mutate(c, 5, 100 + i);
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        for (int i = 0; i < 3; i++) {
            assertThat(v2("sync", Map.of()).ok()).isTrue();
        }
        writer.join();
        V2Result cutover = v2("cutover", Map.of());

        assertThat(cutover.getSafeToSwitch()).as(String.valueOf(cutover.getValidation().getMismatches())).isTrue();
        assertThat(cutover.getMessage()).isEqualTo("v3 matches v2: safe to switch");
        long deadline = System.currentTimeMillis() + 10_000;
        while (ferry.context().getRouteController().getRouteStatus("v2-sync").isStarted() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ferry.context().getRouteController().getRouteStatus("v2-sync").isStopped()).isTrue();
        // and a sync after the cutover loads nothing
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.mutate(c, 5, 999);
        }
        V2Result after = v2("sync", Map.of());
        assertThat(after.getTables()).isEmpty();
        assertThat(after.getMessage()).contains("cut over");
    }

    @Test
    void cutoverWithADifferenceSaysWhatDiffers() throws Exception {
        freshPair("differs", false);
        migrate();
        v3.execute("UPDATE trades SET realized_pnl = 12345 WHERE id = (SELECT min(id) FROM trades)");
        V2Result cutover = v2("cutover", Map.of());
        assertThat(cutover.getSafeToSwitch()).isFalse();
        assertThat(cutover.getStatus()).isEqualTo(V2Result.Status.DIFFERS);
        assertThat(cutover.getValidation().getMismatches()).anyMatch(m -> "realized_pnl".equals(m.field()) && "12345".equals(m.databaseValue()));
        assertThat(v3.count("SELECT count(*) FROM ferry_v2.state WHERE key = 'cutover'")).isZero();
    }

    private boolean isRejected(int tradeId) {
        return v3.count("SELECT count(*) FROM ferry_v2.rejects WHERE NOT warning AND v2_table = 'trades' AND v2_id = " + tradeId) > 0;
    }

    private void assertRejected(String quirk, String column, String value) {
        assertThat(gen.idsWith(quirk)).as(quirk).isNotEmpty();
        for (int id : gen.idsWith(quirk)) {
            assertThat(v3.text("SELECT column_name FROM ferry_v2.rejects WHERE NOT warning AND v2_table = 'trades' AND v2_id = " + id))
                    .as(quirk + " trade " + id).isEqualTo(column);
            if (value != null) {
                assertThat(v3.text("SELECT value FROM ferry_v2.rejects WHERE NOT warning AND v2_table = 'trades' AND v2_id = " + id)).isEqualTo(value);
            }
            assertThat(v3.count("SELECT count(*) FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + id)).isZero();
        }
    }
}
