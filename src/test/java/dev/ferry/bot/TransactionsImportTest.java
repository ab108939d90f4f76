package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.report.ConsoleReport;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** paper_trading/transactions.json into fills of the paper orders, through the same import route. */
class TransactionsImportTest extends FerryTestSupport {

    @BeforeEach
    void paperOrders() throws Exception {
        db.emptyTables();
        importFile("paper_orders", file("paper_trading/orders.json", """
                [{"order_id": "PT20251027091500U10001", "symbol": "RELIANCE", "transaction_type": "BUY", "quantity": 10,
                  "status": "COMPLETE", "placed_at": "2025-10-27T09:15:00+05:30", "executed_at": "2025-10-27T09:15:02+05:30",
                  "executed_price": 2451.1},
                 {"order_id": "PT20251028100000U10002", "symbol": "RELIANCE", "transaction_type": "SELL", "quantity": 10,
                  "status": "COMPLETE", "placed_at": "2025-10-28T10:00:00+05:30", "executed_at": "2025-10-28T10:00:00+05:30",
                  "executed_price": 2500}]"""), 1, false);
    }

    private RunResult importTransactions(String content) throws Exception {
        return importFile("transactions", file("paper_trading/transactions.json", content), 1, false);
    }

    @Test
    void formatsExampleFillsBothPaperOrdersByOrderId() throws Exception {
        RunResult r = importTransactions("""
                [{"order_id": "PT20251027091500U10001", "symbol": "RELIANCE", "transaction_type": "BUY",
                  "quantity": 10, "price": 2451.1, "order_value": 24511.0, "charges": 12.5,
                  "timestamp": "2025-10-27T09:15:02+05:30"},
                 {"order_id": "PT20251028100000U10002", "symbol": "RELIANCE", "transaction_type": "SELL",
                  "quantity": 10, "price": 2500.0, "realized_pnl": 476.5, "exit_reason": "Target Hit",
                  "timestamp": "2025-10-28T10:00:00+05:30"}]""");

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getFills()).isEqualTo(2);
        assertThat(r.getLoaded()).isEqualTo(2);
        assertThat(db.text("""
                SELECT string_agg(concat_ws(' ', o.order_id, f.quantity, f.price, f.fill_value, f.charges, f.metadata->>'exit_reason'), ', '
                                  ORDER BY f.filled_at)
                FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id""")).isEqualTo(
                "PT20251027091500U10001 10 2451.1 24511 12.5, PT20251028100000U10002 10 2500 25000 0 Target Hit");
    }

    @Test
    void withoutAnOrderIdTheNearestOrderOfTheSameSymbolAndSideWithinTheToleranceIsFilled() throws Exception {
        RunResult r = importTransactions("""
                [{"symbol": "RELIANCE-EQ", "side": "SELL", "quantity": 10, "price": 2500, "timestamp": "2025-10-28T10:02:00+05:30"},
                 {"symbol": "RELIANCE", "side": "SELL", "quantity": 10, "price": 2500, "timestamp": "2025-10-28T12:00:00+05:30"},
                 {"order_id": "PT-NOPE", "symbol": "RELIANCE", "side": "BUY", "quantity": 1, "price": 1, "timestamp": "2025-10-27T09:15:02+05:30"}]""");

        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getRejected()).isEqualTo(2);
        assertThat(r.getRecordsRead()).isEqualTo(r.getLoaded() + r.getDuplicates() + r.getRejected());
        assertThat(db.text("SELECT o.order_id FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id")).isEqualTo("PT20251028100000U10002");
        assertThat(db.text("SELECT string_agg(record_path || ' ' || field || ': ' || reason, ' | ' ORDER BY record_no) FROM ferry.rejects"))
                .isEqualTo("[1] timestamp: no paper sell order for RELIANCE within 300 s of 2025-10-28 06:30:00+00 | "
                        + "[2] order_id: no paper order with order_id PT-NOPE");
        // the run's own result names them too, as the CLI and the report show it
        assertThat(r.getRejects()).extracting(x -> x.recordPath() + " " + x.field() + ": " + x.reason())
                .containsExactly("[1] timestamp: no paper sell order for RELIANCE within 300 s of 2025-10-28 06:30:00+00",
                        "[2] order_id: no paper order with order_id PT-NOPE");
        assertThat(ConsoleReport.render(java.util.List.of(r))).contains("rejected ").doesNotContain("more in ferry.rejects");
    }

    @Test
    void aTransactionLoadedBeforeIsADuplicate() throws Exception {
        String tx = "[{\"order_id\": \"PT20251027091500U10001\", \"symbol\": \"RELIANCE\", \"side\": \"BUY\", \"quantity\": 10, "
                + "\"price\": 2451.1, \"timestamp\": \"2025-10-27T09:15:02+05:30\"}]";
        importTransactions(tx);
        RunResult again = importTransactions(tx + "\n");
        assertThat(again.getDuplicates()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM trading.fills")).isEqualTo(1);
    }
}
