package dev.ferry.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollback by run through its route: the exact prior content back, changed rows kept unless forced. */
class RunRollbackTest extends FerryTestSupport {

    @BeforeEach
    void empty() {
        db.emptyTables();
    }

    private RunResult rollback(long runId, boolean dryRun, boolean force, String confirm) {
        Map<String, Object> headers = new HashMap<>(Map.of("FerryRunId", runId, "FerryDryRun", dryRun, "FerryForce", force,
                "FerryConfirm", confirm));
        return ferry.template().requestBodyAndHeaders("direct:rollback-run", null, headers, RunResult.class);
    }

    private RunResult load(String flow, String name, String content) throws Exception {
        return importFile(flow, file(name, content), 1, false);
    }

    @Test
    void rollingBackARunRestoresTheExactPriorContentAndItsFileCanLoadAgain() throws Exception {
        load("trades_history", "earlier.json", "[{\"symbol\": \"SBIN\", \"entry_price\": 800, \"qty\": 1, \"entry_time\": \"2025-10-20T10:00:00\"}]");
        String before = db.contentDigest();
        Path file = file("trades_history.json", Fixtures.formatsExample());
        RunResult run = importTrades(file, 1, false);

        RunResult rb = rollback(run.getRunId(), false, false, "DELETE");

        assertThat(rb.getStatus()).as(rb.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(rb.getOrders()).isEqualTo(4);
        assertThat(rb.getFills()).isEqualTo(3);
        assertThat(db.contentDigest()).isEqualTo(before);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + run.getRunId())).isEqualTo("rolled_back");
        assertThat(db.text("SELECT flow || ' ' || status FROM ferry.runs WHERE id = " + rb.getRunId())).isEqualTo("rollback completed");
        assertThat(importTrades(file, 1, false).getOrders()).as("the file is no longer a known duplicate").isEqualTo(4);
    }

    @Test
    void positionsTheRunUpdatedGetTheirEarlierValuesBack() throws Exception {
        load("holdings", "paper_trading/holdings-1.json", "{\"TCS\": {\"quantity\": 5, \"avg_price\": 3850, \"last_updated\": \"2025-10-27T10:00:00\"}}");
        String afterFirst = db.contentDigest();
        RunResult second = load("holdings", "paper_trading/holdings-2.json",
                "{\"TCS\": {\"quantity\": 8, \"avg_price\": 3860, \"last_updated\": \"2025-10-28T10:00:00\"},"
                + " \"INFY\": {\"quantity\": 2, \"avg_price\": 1500, \"last_updated\": \"2025-10-28T10:00:00\"}}");

        RunResult rb = rollback(second.getRunId(), false, false, "DELETE");

        assertThat(rb.getPositions()).isEqualTo(2);
        assertThat(db.contentDigest()).isEqualTo(afterFirst);
        assertThat(db.text("SELECT quantity || ' ' || avg_price FROM trading.positions")).isEqualTo("5 3850");
    }

    @Test
    void aRowChangedSinceTheRunIsKeptAndListedUnlessForced() throws Exception {
        RunResult run = importTrades(file("changed.json", Fixtures.formatsExample()), 1, false);
        db.execute("UPDATE trading.orders SET status = 'closed', updated_at = now() + interval '1 minute' WHERE symbol = 'RELIANCE'");
        String changed = db.contentDigest();

        RunResult refused = rollback(run.getRunId(), false, false, "DELETE");

        assertThat(refused.getStatus()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.getKept()).singleElement().asString().contains("RELIANCE buy", "after the run ended");
        assertThat(db.contentDigest()).as("nothing removed").isEqualTo(changed);

        RunResult forced = rollback(run.getRunId(), false, true, "DELETE");
        assertThat(forced.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
    }

    @Test
    void paperOrdersFilledByALaterRunAreKept() throws Exception {
        RunResult paper = load("paper_orders", "paper_trading/orders.json", "[{\"order_id\": \"PT-1\", \"symbol\": \"INFY\", \"quantity\": 2, "
                + "\"status\": \"COMPLETE\", \"placed_at\": \"2025-10-27T09:15:00\", \"executed_at\": \"2025-10-27T09:15:02\", \"executed_price\": 1500}]");
        RunResult tx = load("transactions", "paper_trading/transactions.json", "[{\"order_id\": \"PT-1\", \"symbol\": \"INFY\", \"side\": \"BUY\", "
                + "\"quantity\": 2, \"price\": 1500, \"timestamp\": \"2025-10-27T09:15:02\"}]");

        RunResult refused = rollback(paper.getRunId(), false, false, "DELETE");

        assertThat(refused.getStatus()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.getKept()).singleElement().asString().contains("of run " + tx.getRunId() + " refers to it");
        assertThat(rollback(tx.getRunId(), false, false, "DELETE").getFills()).isEqualTo(1);
        assertThat(rollback(paper.getRunId(), false, false, "DELETE").getOrders()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
    }

    @Test
    void aDryRunCountsWithoutRemovingAndARealRollbackNeedsTheConfirmation() throws Exception {
        RunResult run = importTrades(file("dry.json", Fixtures.formatsExample()), 1, false);
        String loaded = db.contentDigest();

        RunResult dry = rollback(run.getRunId(), true, false, "");
        assertThat(dry.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(dry.getMessage()).contains("would remove 4 order(s), 3 fill(s)");
        assertThat(db.contentDigest()).isEqualTo(loaded);

        RunResult unconfirmed = rollback(run.getRunId(), false, false, "yes");
        assertThat(unconfirmed.getStatus()).isEqualTo(RunStatus.REFUSED);
        assertThat(unconfirmed.getMessage()).contains("confirm with DELETE");
        assertThat(db.contentDigest()).isEqualTo(loaded);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + run.getRunId())).isEqualTo("completed");
    }

    @Test
    void rollbackBySourceUndoesEveryChosenRunOfTheUserNewestFirst() throws Exception {
        String before = db.contentDigest();
        importFile("trades_history", file("u1/trades_history.json", Fixtures.formatsExample()), 1, false);
        String afterTrades = db.contentDigest();
        importFile("pending_orders", file("u1/pending_orders.json",
                "[{\"order_id\": \"P-1\", \"symbol\": \"TCS\", \"qty\": 1, \"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"}]"), 1, false);
        importFile("paper_orders", file("u1/paper_trading/orders.json", "[{\"order_id\": \"PT-1\", \"symbol\": \"INFY\", \"quantity\": 2, "
                + "\"status\": \"COMPLETE\", \"placed_at\": \"2025-10-27T09:15:00\", \"executed_at\": \"2025-10-27T09:15:02\"}]"), 1, false);
        importFile("transactions", file("u1/paper_trading/transactions.json", "[{\"order_id\": \"PT-1\", \"symbol\": \"INFY\", "
                + "\"side\": \"BUY\", \"quantity\": 2, \"price\": 1500, \"timestamp\": \"2025-10-27T09:15:02\"}]"), 1, false);

        Map<String, Object> headers = new HashMap<>(Map.of("FerryUserId", 1L, "FerryTrades", false, "FerryPending", true, "FerryPaper", true,
                "FerryDryRun", false, "FerryForce", false, "FerryConfirm", "DELETE"));
        RunResult rb = ferry.template().requestBodyAndHeaders("direct:rollback-user", null, headers, RunResult.class);

        assertThat(rb.getStatus()).as(rb.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(rb.getMessage()).contains("3 runs");
        assertThat(db.contentDigest()).as("only the trades are left").isEqualTo(afterTrades);

        headers.put("FerryTrades", true);
        assertThat(ferry.template().requestBodyAndHeaders("direct:rollback-user", null, headers, RunResult.class).getOrders()).isEqualTo(4);
        assertThat(db.contentDigest()).isEqualTo(before);
    }
}
