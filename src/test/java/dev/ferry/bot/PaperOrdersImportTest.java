package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** paper_trading/orders.json through the same import route, against a real PostgreSQL database. */
class PaperOrdersImportTest extends FerryTestSupport {

    static final String FORMATS_EXAMPLE = """
            [{"order_id": "PT20251027091500U10001", "symbol": "RELIANCE", "transaction_type": "BUY",
              "quantity": 10, "price": "Rs 2,450.00", "order_type": "MARKET", "status": "COMPLETE",
              "placed_at": "2025-10-27T09:15:00+05:30", "executed_at": "2025-10-27T09:15:02+05:30",
              "executed_price": "Rs 2,451.10", "executed_quantity": 10, "variety": "REGULAR",
              "exchange": "NSE", "product_type": "CNC"}]""";

    @BeforeEach
    void emptyTables() {
        db.emptyTables();
    }

    private RunResult importPaper(String content) throws Exception {
        return importFile("paper_orders", file("paper_trading/orders.json", content), 1, false);
    }

    @Test
    void formatsExampleBecomesOneClosedPaperOrder() throws Exception {
        RunResult r = importPaper(FORMATS_EXAMPLE);

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getOrders()).isEqualTo(1);
        assertThat(r.getFills()).as("paper fills come from transactions.json").isZero();
        assertThat(db.text("""
                SELECT concat_ws(' ', order_id, symbol, side, order_type, quantity, price, avg_price, status, orig_source,
                                 to_char(placed_at AT TIME ZONE 'UTC', 'HH24:MI:SS'), to_char(filled_at AT TIME ZONE 'UTC', 'HH24:MI:SS'),
                                 closed_at = filled_at, metadata->>'exchange', metadata->>'product_type', metadata->>'executed_quantity')
                FROM trading.orders""")).isEqualTo("PT20251027091500U10001 RELIANCE buy market 10 2450.00 2451.10 closed paper_trading "
                + "03:45:00 03:45:02 t NSE CNC 10");
    }

    @Test
    void readsTheOlderSpellingsSideAndTimestamp() throws Exception {
        importPaper("""
                [{"order_id": "PT-OLD-1", "symbol": "TCS", "side": "SELL", "quantity": "5", "price": 3900,
                  "status": "PENDING", "timestamp": "2025-10-20T10:00:00"}]""");
        assertThat(db.text("SELECT side || ' ' || status || ' ' || to_char(placed_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') FROM trading.orders"))
                .isEqualTo("sell pending 2025-10-20 10:00");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"COMPLETE, closed", "EXECUTED, closed", "PENDING, pending", "OPEN, pending", "CANCELLED, cancelled", "REJECTED, failed"})
    void mapsEveryPaperStatus(String source, String target) throws Exception {
        importPaper("[{\"order_id\": \"S-" + source + "\", \"symbol\": \"A\", \"quantity\": 1, \"status\": \"" + source
                + "\", \"placed_at\": \"2025-10-27T09:15:00\"}]");
        assertThat(db.text("SELECT status::text FROM trading.orders")).isEqualTo(target);
    }

    @Test
    void theSameOrderIdTwiceLoadsOnceAndAnUnknownStatusIsRejected() throws Exception {
        RunResult r = importPaper("""
                [{"order_id": "PT-1", "symbol": "A", "quantity": 1, "status": "OPEN", "placed_at": "2025-10-27T09:15:00"},
                 {"order_id": "PT-1", "symbol": "A", "quantity": 1, "status": "COMPLETE", "placed_at": "2025-10-27T09:15:00"},
                 {"order_id": "PT-2", "symbol": "B", "quantity": 1, "status": "HELD", "placed_at": "2025-10-27T09:15:00"}]""");
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getDuplicates()).isEqualTo(1);
        assertThat(r.getRejected()).isEqualTo(1);
        assertThat(r.getRejects().get(0).reason()).contains("unknown status 'HELD'");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(1);
    }
}
