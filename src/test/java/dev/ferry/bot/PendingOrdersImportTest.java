package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pending_orders.json through the same import route, against a real PostgreSQL database. */
class PendingOrdersImportTest extends FerryTestSupport {

    @BeforeEach
    void emptyTables() {
        db.emptyTables();
    }

    private static String order(String id, String status, String extra) {
        return "{\"order_id\": \"" + id + "\", \"symbol\": \"RELIANCE-EQ\", \"ticker\": \"RELIANCE.NS\", \"qty\": 10, "
                + "\"order_type\": \"MARKET\", \"variety\": \"AMO\", \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"" + status + "\""
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private RunResult importPending(String name, String content) throws Exception {
        return importFile("pending_orders", file(name, content), 1, false);
    }

    @Test
    void formatsExampleBecomesOneAmoOrderWithoutAPrice() throws Exception {
        RunResult r = importPending("pending_orders.json", "{\"orders\": [" + order("12345", "PENDING", "\"price\": 0.0") + "]}");

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getOrders()).isEqualTo(1);
        assertThat(r.getFills()).isZero();
        assertThat(db.text("""
                SELECT concat_ws(' ', symbol, side, order_type, quantity, coalesce(price::text, 'NULL'), status, broker_order_id, orig_source,
                                 metadata->>'variety', metadata->>'ticker')
                FROM trading.orders""")).isEqualTo("RELIANCE buy market 10 NULL amo 12345 pending_orders AMO RELIANCE.NS");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"PENDING, amo", "amo, amo", "OPEN, ongoing", "EXECUTED, closed", "Complete, closed", "CANCELLED, cancelled",
                "REJECTED, failed", "FAILED, failed"})
    void mapsEveryBrokerStatus(String source, String target) throws Exception {
        importPending("status.json", "[" + order("S-" + source, source, "") + "]");
        assertThat(db.text("SELECT status::text FROM trading.orders")).isEqualTo(target);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'\"transaction_type\": \"B\"', buy", "'\"transaction_type\": \"SELL\"', sell", "'\"side\": \"s\"', sell",
                "'\"side\": \"buy\"', buy", "'', buy"})
    void readsTheSideOrDefaultsToBuy(String field, String side) throws Exception {
        importPending("side.json", "[" + order("SIDE-1", "OPEN", field) + "]");
        assertThat(db.text("SELECT side FROM trading.orders")).isEqualTo(side);
    }

    @Test
    void keepsANonZeroLimitPriceExactly() throws Exception {
        importPending("price.json", "[" + order("P-1", "OPEN", "\"price\": \"Rs 2,455.50\"") + "]");
        assertThat(db.text("SELECT price::text FROM trading.orders")).isEqualTo("2455.50");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown status | {\"order_id\": \"X1\", \"symbol\": \"A\", \"qty\": 1, \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"PARKED\"} | status | unknown status 'PARKED'",
        "missing order_id | {\"symbol\": \"A\", \"qty\": 1, \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"} | order_id | missing order_id",
        "qty zero | {\"order_id\": \"X2\", \"symbol\": \"A\", \"qty\": 0, \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"} | qty | qty must be greater than 0",
        "unknown side | {\"order_id\": \"X3\", \"symbol\": \"A\", \"qty\": 1, \"side\": \"HOLD\", \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"} | side | unknown side 'HOLD'",
        "missing placed_at | {\"order_id\": \"X4\", \"symbol\": \"A\", \"qty\": 1, \"status\": \"OPEN\"} | placed_at | missing placed_at",
    })
    void badOrdersAreRejectedAndTheRestLoads(String name, String bad, String field, String reason) throws Exception {
        RunResult r = importPending("bad.json", "[" + order("GOOD", "OPEN", "") + ", " + bad + "]");

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED_WITH_REJECTS);
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getRejected()).isEqualTo(1);
        assertThat(r.getRecordsRead()).isEqualTo(r.getLoaded() + r.getDuplicates() + r.getRejected());
        assertThat(db.text("SELECT field || ': ' || reason FROM ferry.rejects")).startsWith(field + ": ").contains(reason);
    }

    @Test
    void anOrderThatCameInThroughTradesHistoryIsSkippedAsADuplicate() throws Exception {
        // the formats.md trades_history example carries broker order id 251027000123 for its RELIANCE trade
        RunResult trades = importTrades(file("trades_history.json", Fixtures.formatsExample()), 1, false);

        RunResult pending = importPending("pending_orders.json", "{\"orders\": ["
                + order("251027000123", "EXECUTED", "") + ", " + order("NEW-1", "OPEN", "") + "]}");

        assertThat(pending.getLoaded()).isEqualTo(1);
        assertThat(pending.getDuplicates()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE broker_order_id = '251027000123'")).isEqualTo(1);
        assertThat(db.count("SELECT first_run_id FROM ferry.duplicates WHERE run_id = " + pending.getRunId())).isEqualTo(trades.getRunId());
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE orig_source = 'pending_orders'")).isEqualTo(1);
    }

    @Test
    void theSameBrokerIdTwiceInAFileLoadsOnce() throws Exception {
        RunResult r = importPending("twice.json", "[" + order("D-1", "OPEN", "") + ", " + order("D-1", "CANCELLED", "") + "]");
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getDuplicates()).isEqualTo(1);
        assertThat(db.text("SELECT status::text FROM trading.orders")).isEqualTo("ongoing");
    }

    @Test
    void aDryRunCountsWithoutWriting() throws Exception {
        RunResult r = importFile("pending_orders", file("dry.json", "[" + order("DRY-1", "OPEN", "") + "]"), 1, true);
        assertThat(r.getOrders()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
        assertThat(db.count("SELECT count(*) FROM ferry.record_keys")).isZero();
    }

    @Test
    void theRunIsRecordedUnderItsFlow() throws Exception {
        RunResult r = importPending("pending_orders-2025-10-27.json", "[" + order("F-1", "OPEN", "") + "]");
        assertThat(db.text("SELECT flow || ' ' || source_file FROM ferry.runs WHERE id = " + r.getRunId()))
                .isEqualTo("pending_orders pending_orders-2025-10-27.json");
    }
}
