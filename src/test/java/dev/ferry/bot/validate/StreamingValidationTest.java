package dev.ferry.bot.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validation of a file bigger than its chunks and cursor fetches (12,000 trades: 18,001
 * orders and 18,000 fills), so that findings are made across chunk and fetch boundaries.
 */
class StreamingValidationTest extends FerryTestSupport {

    private static final int TRADES = 12_000;
    private Path dir;
    private Path file;

    @BeforeEach
    void loaded() throws Exception {
        db.emptyTables();
        db.execute("TRUNCATE trading.positions, trading.fills, trading.orders");
        dir = Files.createTempDirectory(work, "bot");
        file = new TradesHistoryGenerator().trades(TRADES).seed(3).write(dir.resolve("trades_history.json"));
        RunResult r = importTrades(file, 1, false);
        assertThat(r.getStatus()).as(r.summaryLine()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aCleanLoadIsValidRecordByRecord() {
        ValidationResult v = validate();

        assertThat(v.getStatus()).as(v.toString()).isEqualTo("VALID");
        assertThat(v.getSources().get(0).getCounts()).containsEntry("records", (long) TRADES + 1).containsEntry("matched", (long) TRADES + 1);
    }

    @Test
    void aMissingRecordAnExtraRowAndAnAlteredFieldAreEachReportedWithFileRecordAndField() {
        // record 5000 gone from the database altogether; a row no record wrote; one fill's price changed
        db.execute("DELETE FROM trading.fills WHERE ferry_record = 5000");
        db.execute("DELETE FROM trading.orders WHERE ferry_record = 5000");
        db.execute("DELETE FROM ferry.record_keys WHERE record_no = 5000");
        db.execute("""
                INSERT INTO trading.orders (user_id, symbol, side, order_type, quantity, status, placed_at, orig_source, ferry_run_id, ferry_record)
                SELECT user_id, 'ZOMATO', side, order_type, 7, status, placed_at, orig_source, ferry_run_id, 8500 FROM trading.orders
                WHERE ferry_record = 8500 AND side = 'buy'""");
        String price = db.text("SELECT price::text FROM trading.fills WHERE ferry_record = 11000 ORDER BY id LIMIT 1");
        db.execute("UPDATE trading.fills SET price = price + 1 WHERE id = (SELECT min(id) FROM trading.fills WHERE ferry_record = 11000)");

        ValidationResult v = validate();

        assertThat(v.getStatus()).isEqualTo("INVALID");
        assertThat(v.getSources().get(0).getCounts()).containsEntry("missing", 1L).containsEntry("mismatched", 2L)
                .containsEntry("rows without a source record", 0L).containsEntry("matched", (long) TRADES + 1 - 3);
        assertThat(v.getMismatches()).anySatisfy(m -> {
            assertThat(m.source()).isEqualTo("trades_history.json");
            assertThat(m.record()).isEqualTo("trades[4999] (record 5000, line " + lineOf(m.record()) + ")");
            assertThat(m.databaseValue()).contains("not in the database");
        });
        assertThat(v.getMismatches()).as("the extra order under record 8500").anySatisfy(m -> {
            assertThat(m.record()).startsWith("trades[8499] (record 8500,");
            assertThat(m.field()).isEqualTo("orders");
            assertThat(m.databaseValue()).contains("order rows");
        });
        assertThat(v.getMismatches()).anySatisfy(m -> {
            assertThat(m.record()).startsWith("trades[10999] (record 11000,");
            assertThat(m.field()).isEqualTo("fill price");
            assertThat(m.sourceValue()).isEqualTo(new java.math.BigDecimal(price).stripTrailingZeros().toPlainString());
            assertThat(m.databaseValue()).isEqualTo(new java.math.BigDecimal(price).add(java.math.BigDecimal.ONE).stripTrailingZeros().toPlainString());
        });
    }

    @Test
    void aRowUnderARecordNumberNoRecordHasIsARowWithoutASourceRecord() {
        db.execute("""
                INSERT INTO trading.orders (user_id, symbol, side, order_type, quantity, status, placed_at, orig_source, ferry_run_id, ferry_record)
                SELECT user_id, 'ZOMATO', side, order_type, 7, status, placed_at, orig_source, ferry_run_id, 999999 FROM trading.orders
                WHERE ferry_record = 6000 AND side = 'buy'""");

        ValidationResult v = validate();

        assertThat(v.getSources().get(0).getCounts()).containsEntry("rows without a source record", 1L)
                .containsEntry("matched", (long) TRADES + 1);
        assertThat(v.getMismatches()).singleElement().satisfies(m -> {
            assertThat(m.record()).isEqualTo("(no source record 999999)");
            assertThat(m.databaseValue()).contains("ZOMATO");
        });
    }

    @Test
    void aFileTheBotRewroteInAnotherOrderStillMatchesRecordByRecord() throws Exception {
        reverseTrades();

        ValidationResult v = validate();

        assertThat(v.getStatus()).as(v.toString()).isEqualTo("VALID");
        assertThat(v.getSources().get(0).getCounts()).containsEntry("matched", (long) TRADES + 1);
    }

    @Test
    void aReorderedFileBeyondTheReadAheadFindsItsKeysThroughTheIndexedCopyAndStillReportsWhatIsWrong() throws Exception {
        reverseTrades();
        // a fill altered where the reversed file meets it late: its key is found only through the indexed copy
        db.execute("UPDATE trading.fills SET price = price + 1 WHERE ferry_record = 20 AND id = (SELECT min(id) FROM trading.fills WHERE ferry_record = 20)");
        BotDataValidator validator = ferry.context().getRegistry().lookupByNameAndType("botValidation", BotDataValidator.class);
        validator.readAheadKeys(100);
        try {
            ValidationResult v = validate();

            assertThat(v.getStatus()).isEqualTo("INVALID");
            assertThat(v.getSources().get(0).getCounts()).containsEntry("matched", (long) TRADES).containsEntry("missing", 0L)
                    .containsEntry("mismatched", 1L);
            assertThat(v.getMismatches()).singleElement().satisfies(m -> {
                assertThat(m.field()).isEqualTo("fill price");
                assertThat(m.record()).startsWith("trades[" + (TRADES - 20) + "]");
            });
        } finally {
            validator.readAheadKeys(LoadedRows.WINDOW);
        }
    }

    /** The file as the bot might rewrite it: the same trades, last first. */
    private void reverseTrades() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        List<JsonNode> trades = new ArrayList<>();
        root.get("trades").forEach(trades::add);
        Collections.reverse(trades);
        ArrayNode reversed = json.createArrayNode();
        trades.forEach(reversed::add);
        root.set("trades", reversed);
        json.writeValue(file.toFile(), root);
    }

    private static String lineOf(String record) {
        return record.substring(record.indexOf("line ") + 5, record.length() - 1);
    }

    private ValidationResult validate() {
        return ferry.template().requestBodyAndHeaders("direct:validate", null, Map.of("FerryUserId", 1L, "FerryDataDir", dir.toString()),
                ValidationResult.class);
    }
}
