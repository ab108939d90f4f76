package dev.ferry.bot.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validation route compares a migrated bot folder with the database record by record. */
class BotDataValidationTest extends FerryTestSupport {

    private Path dir;

    @BeforeEach
    void botFolder() throws Exception {
        db.emptyTables();
        db.execute("TRUNCATE trading.positions, trading.fills, trading.orders");
        dir = Files.createTempDirectory(work, "bot");
        write("trades_history.json", Fixtures.formatsExample());
        write("pending_orders.json", """
                {"orders": [{"order_id": "251027000123", "symbol": "RELIANCE-EQ", "qty": 10, "placed_at": "2025-10-27T09:15:00", "status": "EXECUTED"},
                            {"order_id": "12345", "symbol": "TCS-EQ", "qty": 1, "price": 3800, "placed_at": "2025-10-27T09:15:00", "status": "PENDING"},
                            {"order_id": "777", "symbol": "WIPRO", "qty": 0, "placed_at": "2025-10-27T09:15:00", "status": "PENDING"}]}""");
        write("paper_trading/user_1/orders.json", """
                [{"order_id": "PT-1", "symbol": "INFY", "transaction_type": "BUY", "quantity": 2, "status": "COMPLETE",
                  "placed_at": "2025-10-27T09:15:00", "executed_at": "2025-10-27T09:15:02", "executed_price": 1500}]""");
        write("paper_trading/user_1/holdings.json", """
                {"INFY": {"quantity": 2, "average_price": 1500, "last_updated": "2025-10-27T15:30:00"}}""");
        write("paper_trading/user_1/transactions.json", """
                [{"order_id": "PT-1", "symbol": "INFY", "transaction_type": "BUY", "quantity": 2, "price": 1500, "timestamp": "2025-10-27T09:15:02"},
                 {"symbol": "HDFC", "transaction_type": "SELL", "quantity": 1, "price": 10, "timestamp": "2025-10-27T09:15:02"}]""");
    }

    @Test
    void aCleanMigrationIsValidWithEveryRecordAccountedFor() throws Exception {
        migrate();

        ValidationResult v = validate();

        assertThat(v.getStatus()).as(v.toString()).isEqualTo("VALID");
        assertThat(v.getSources()).extracting(ValidationResult.Source::getName).containsExactly(
                "trades_history.json", "pending_orders.json", "orders.json", "holdings.json", "transactions.json");
        assertThat(v.total("records")).isEqualTo(3 + 3 + 1 + 1 + 2);
        // matched: 2 trades and a failed order, 1 pending, 1 paper, 1 holding, 1 transaction
        assertThat(v.total("matched")).isEqualTo(7);
        assertThat(v.total("known duplicates")).as("the pending order the trade already brought").isEqualTo(1);
        assertThat(v.total("known rejections")).as("qty 0 and the unmatched transaction").isEqualTo(2);
        assertThat(v.total("records")).isEqualTo(v.total("matched") + v.total("known duplicates") + v.total("known rejections"));
        assertThat(v.getChecks()).allSatisfy(c -> assertThat(c.passed()).as(c.name() + ": " + c.detail()).isTrue());
        assertThat(v.getChecks()).extracting(ValidationResult.Check::name).contains("each trade has at least one order",
                "every pending broker order id exists", "paper order counts match");
        assertThat(reports(".html")).singleElement().satisfies(p -> assertThat(Files.readString(p)).contains(">VALID<", "trades_history.json"));
        assertThat(reports(".json")).singleElement().satisfies(p -> assertThat(Files.readString(p)).contains("\"status\" : \"VALID\""));
    }

    @Test
    void aRowAlteredAfterTheMigrationMakesItInvalidAndShowsTheField() throws Exception {
        migrate();
        db.execute("UPDATE trading.orders SET quantity = 11 WHERE symbol = 'RELIANCE' AND orig_source <> 'paper_trading'");
        db.execute("UPDATE trading.fills SET price = 1499 WHERE price = 1500");

        ValidationResult v = validate();

        assertThat(v.getStatus()).isEqualTo("INVALID");
        assertThat(v.getMismatches()).anySatisfy(m -> {
            assertThat(m.source()).isEqualTo("trades_history.json");
            assertThat(m.record()).startsWith("trades[0]");
            assertThat(m.field()).isEqualTo("quantity");
            assertThat(m.sourceValue()).isEqualTo("10");
            assertThat(m.databaseValue()).isEqualTo("11");
        });
        assertThat(v.getMismatches()).anySatisfy(m -> {
            assertThat(m.source()).isEqualTo("transactions.json");
            assertThat(m.field()).isEqualTo("price");
            assertThat(m.sourceValue()).isEqualTo("1500");
            assertThat(m.databaseValue()).isEqualTo("1499");
        });
        String html = Files.readString(reports(".html").get(0));
        assertThat(html).contains(">INVALID<", "<b>quantity</b>", ">10</code>", ">11</code>");
    }

    @Test
    void missingRecordsAndRowsWithoutASourceAreReported() throws Exception {
        migrate();
        // the bot wrote a trade Ferry never loaded, and someone deleted a loaded order's fill and the order
        write("trades_history.json", Fixtures.formatsExample().replace("\"trades\": [", """
                "trades": [{"symbol": "SBIN", "entry_price": 600, "qty": 1, "entry_time": "2025-10-28T09:15:00"},"""));
        long sell = db.count("SELECT id FROM trading.orders WHERE symbol = 'TCS' AND side = 'sell'");
        db.execute("DELETE FROM trading.fills WHERE order_id = " + sell);
        db.execute("DELETE FROM trading.orders WHERE id = " + sell);
        db.execute("""
                INSERT INTO trading.orders (user_id, symbol, side, order_type, quantity, status, placed_at, orig_source, ferry_run_id, ferry_record)
                SELECT user_id, 'ZOMATO', side, order_type, 7, status, placed_at, orig_source, ferry_run_id, 99 FROM trading.orders
                WHERE symbol = 'RELIANCE' AND orig_source <> 'paper_trading'""");

        ValidationResult v = validate();

        assertThat(v.getStatus()).isEqualTo("INVALID");
        assertThat(v.getMismatches()).anySatisfy(m -> {
            assertThat(m.record()).startsWith("trades[0]");
            assertThat(m.sourceValue()).contains("SBIN");
            assertThat(m.databaseValue()).contains("not in the database");
        });
        assertThat(v.getMismatches()).as("the TCS trade's sell order is gone").anySatisfy(m -> {
            assertThat(m.record()).startsWith("trades[2]");
            assertThat(m.field()).isEqualTo("orders");
            assertThat(m.sourceValue()).isEqualTo("2 order rows");
            assertThat(m.databaseValue()).isEqualTo("1 order rows");
        });
        assertThat(v.getMismatches()).as("a row its run never wrote").anySatisfy(m -> {
            assertThat(m.record()).contains("no source record 99");
            assertThat(m.databaseValue()).contains("ZOMATO");
        });
        assertThat(v.getSources().get(0).getCounts()).containsEntry("matched", 2L).containsEntry("missing", 1L).containsEntry("mismatched", 1L)
                .containsEntry("rows without a source record", 1L);
    }

    @Test
    void afterRollingBackEverythingTheDatabaseIsReportedAtItsPriorState() throws Exception {
        String before = db.contentDigest();
        migrate();
        RunResult rollback = ferry.template().requestBodyAndHeaders("direct:rollback-user", null, Map.of("FerryUserId", 1L,
                "FerryTrades", true, "FerryPending", true, "FerryPaper", true, "FerryDryRun", false, "FerryForce", false,
                "FerryConfirm", "DELETE"), RunResult.class);
        assertThat(rollback.getStatus().clean()).as(rollback.summaryLine()).isTrue();

        ValidationResult v = validate();

        assertThat(db.contentDigest()).isEqualTo(before);
        assertThat(v.getStatus()).as(v.toString()).isEqualTo("VALID");
        assertThat(v.total("rolled back")).isEqualTo(v.total("records") - v.total("known duplicates") - v.total("known rejections"));
        assertThat(v.getNotes()).singleElement().asString().contains("back at its state before");
        assertThat(v.getChecks()).filteredOn(c -> c.name().equals("no rows remain from rolled-back runs"))
                .singleElement().satisfies(c -> assertThat(c.passed()).isTrue());
    }

    private void migrate() {
        @SuppressWarnings("unchecked")
        List<RunResult> results = ferry.template().requestBodyAndHeaders("direct:migrate-data-dir", null,
                Map.of("FerryDataDir", dir.toString(), "FerryUserId", 1L, "FerryDryRun", false), List.class);
        assertThat(results).hasSize(5);
    }

    private ValidationResult validate() throws Exception {
        try (Stream<Path> old = Files.list(reportsDir()).filter(p -> p.getFileName().toString().startsWith("validation-"))) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        return ferry.template().requestBodyAndHeaders("direct:validate", null, Map.of("FerryUserId", 1L, "FerryDataDir", dir.toString()),
                ValidationResult.class);
    }

    private Path reportsDir() throws Exception {
        return Files.createDirectories(work.resolve("reports"));
    }

    private List<Path> reports(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(reportsDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith("validation-") && p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private void write(String relative, String content) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
