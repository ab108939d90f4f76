package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trades_history route as the CLI runs it, against a real PostgreSQL database. */
class TradesHistoryImportTest extends FerryTestSupport {

    static final String FORMATS_EXAMPLE = Fixtures.formatsExample();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeEach
    void emptyTables() {
        db.emptyTables();
    }

    private static String trades(String... trades) {
        return "{\"trades\": [" + String.join(",", trades) + "]}";
    }

    private static String openTrade(String symbol, String price, String qty, String time) {
        return "{\"symbol\": \"" + symbol + "\", \"entry_price\": " + price + ", \"qty\": " + qty
                + ", \"entry_time\": \"" + time + "\", \"status\": \"open\"}";
    }

    private List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i) == null ? null : rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private void assertReconciles(RunResult r) {
        assertThat(r.getRecordsRead()).isEqualTo(r.getLoaded() + r.getDuplicates() + r.getRejected());
        assertThat(db.count("SELECT records_read - loaded - duplicates - rejected FROM ferry.runs WHERE id = " + r.getRunId())).isZero();
    }

    @Test
    void formatsExampleGivesFourOrdersAndThreeFills() throws Exception {
        RunResult r = importTrades(file("user_1/trades_history.json", FORMATS_EXAMPLE), 1, false);

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getRecordsRead()).isEqualTo(3);
        assertThat(r.getOrders()).isEqualTo(4);
        assertThat(r.getFills()).isEqualTo(3);
        assertReconciles(r);
        assertThat(rows("""
                SELECT symbol, side, status, quantity, avg_price, placed_at, filled_at, closed_at, broker_order_id, orig_source, order_type
                FROM trading.orders ORDER BY ferry_record, side""")).as("times shown in UTC: 09:15 in Asia/Kolkata is 03:45Z").containsExactly(
                row("RELIANCE", "buy", "ongoing", "10", "2450", "2025-10-27 03:45:00+00", "2025-10-27 03:45:00+00", null, "251027000123", "signal", "market"),
                row("TCS", "buy", "closed", "5", "3850", "2025-10-27 03:45:00+00", "2025-10-27 03:45:00+00", "2025-10-27 10:00:00+00", null, "signal", "market"),
                row("TCS", "sell", "closed", "5", "3900", "2025-10-27 10:00:00+00", "2025-10-27 10:00:00+00", "2025-10-27 10:00:00+00", null, "signal", "market"),
                row("INFY", "buy", "failed", "3", null, "2025-10-27 03:46:00+00", null, null, null, "signal", "market"));
        assertThat(rows("""
                SELECT o.symbol, o.side, f.quantity, f.price, f.fill_value, f.filled_at = o.filled_at AS same_time
                FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id ORDER BY o.ferry_record, o.side""")).containsExactly(
                Map.of("symbol", "RELIANCE", "side", "buy", "quantity", "10", "price", "2450", "fill_value", "24500", "same_time", "t"),
                Map.of("symbol", "TCS", "side", "buy", "quantity", "5", "price", "3850", "fill_value", "19250", "same_time", "t"),
                Map.of("symbol", "TCS", "side", "sell", "quantity", "5", "price", "3900", "fill_value", "19500", "same_time", "t"));
        // every order and fill traces back to this run
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE ferry_run_id = " + r.getRunId())).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM trading.fills WHERE ferry_run_id = " + r.getRunId())).isEqualTo(3);
        assertThat(db.text("SELECT status || ' ' || orders || ' ' || fills || ' ' || (checksum IS NOT NULL) FROM ferry.runs WHERE id = " + r.getRunId()))
                .isEqualTo("completed 4 3 true");
    }

    private static Map<String, Object> row(Object... v) {
        String[] names = {"symbol", "side", "status", "quantity", "avg_price", "placed_at", "filled_at", "closed_at", "broker_order_id", "orig_source", "order_type"};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], v[i]);
        }
        return m;
    }

    @Test
    void keepsEverySourceFieldWithoutAColumnInMetadata() throws Exception {
        importTrades(file("meta.json", FORMATS_EXAMPLE), 1, false);
        assertThat(db.text("SELECT metadata::text FROM trading.orders WHERE symbol = 'RELIANCE'")).isEqualTo(
                "{\"symbol\": \"RELIANCE\", \"ticker\": \"RELIANCE.NS\", \"capital\": 24500, \"placed_symbol\": \"RELIANCE-EQ\", "
                + "\"order_response\": {\"stat\": \"Ok\", \"nOrdNo\": \"251027000123\"}, \"rsi_entry_level\": 30}");
        assertThat(db.text("SELECT metadata->>'exit_reason' FROM trading.orders WHERE symbol = 'TCS' AND side = 'sell'")).isEqualTo("EMA9_TARGET");
        assertThat(db.text("SELECT metadata->>'reason' FROM trading.orders WHERE status = 'failed'")).isEqualTo("insufficient funds");
    }

    @Test
    void emptyFilesLoadNothingAndSucceed() throws Exception {
        for (String content : new String[] {"[]", "{\"trades\": []}", "{\"trades\": [], \"failed_orders\": []}"}) {
            RunResult r = importTrades(file("empty.json", content), 1, false);
            assertThat(r.getStatus()).as("content '%s'", content).isIn(RunStatus.COMPLETED, RunStatus.DUPLICATE_FILE);
            assertThat(r.getRecordsRead()).isZero();
        }
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
    }

    @Test
    void impossibleDatesAndAmountsRejectTheirRecordAndTheRestLoads() throws Exception {
        RunResult r = importTrades(file("odd.json", trades(
                openTrade("RELIANCE-EQ", "2450", "10", "2025-10-27T09:15:00"),
                openTrade("TCS-EQ", "3861", "5", "2025-02-30T09:15:00"),
                openTrade("INFY-EQ", "1e999999", "5", "2025-10-27T09:15:00"),
                openTrade("WIPRO-EQ", "240", "1e999999999", "2025-10-27T09:15:00"),
                openTrade("X".repeat(100_000), "1", "1", "2025-10-27T09:15:00"),
                "{\"symbol\": \"HDFC-EQ\", \"entry_price\": 1600, \"qty\": 3, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"open\", "
                        + "\"order_response\": {\"stat\": \"Ok\", \"nOrdNo\": \"" + "9".repeat(100_000) + "\"}}")), 1, false);

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED_WITH_REJECTS);
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getRejected()).isEqualTo(5);
        assertThat(r.getRecordsRead()).isEqualTo(r.getLoaded() + r.getDuplicates() + r.getRejected());
        assertThat(r.getRejects()).extracting(x -> x.recordPath() + " " + x.field()).containsExactly(
                "trades[1] entry_time", "trades[2] entry_price", "trades[3] qty", "trades[4] symbol", "trades[5] order_response.nOrdNo");
        assertThat(r.getRejects().get(0).reason()).contains("'2025-02-30T09:15:00'");
        assertThat(db.text("SELECT string_agg(symbol, ',') FROM trading.orders")).isEqualTo("RELIANCE");
    }

    @Test
    void aFieldGivenTwiceOrTradesThatAreNotAListMakeTheFileInvalidInsteadOfLoadingSomethingElse() throws Exception {
        RunResult twice = importTrades(file("twice.json", "{\"trades\": [{\"symbol\": \"TCS-EQ\", \"entry_price\": 3861, \"qty\": 10, \"qty\": 20, "
                + "\"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"open\"}]}"), 1, false);
        assertThat(twice.getStatus()).isEqualTo(RunStatus.INVALID);
        assertThat(twice.getMessage()).startsWith("invalid JSON at line 1").contains("Duplicate field 'qty'");

        RunResult object = importTrades(file("object.json", "{\"trades\": {\"symbol\": \"TCS-EQ\"}}"), 1, false);
        assertThat(object.getStatus()).isEqualTo(RunStatus.INVALID);
        assertThat(object.getMessage()).isEqualTo("\"trades\" at line 1 must be a list of records, not an object; nothing was loaded");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
    }

    @Test
    void aZeroByteFileIsInvalidNotAnEmptyHistory() throws Exception {
        RunResult r = importTrades(file("zero.json", ""), 1, false);
        assertThat(r.getStatus()).isEqualTo(RunStatus.INVALID);
        assertThat(r.getMessage()).isEqualTo("zero.json is empty (0 bytes): nothing was read");
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + r.getRunId())).isEqualTo("invalid");
    }

    @Test
    void oneOpenTradeIsOneOngoingBuyWithItsFill() throws Exception {
        RunResult r = importTrades(file("open.json", trades("""
                {"symbol": "RELIANCE-EQ", "entry_price": 2450, "qty": 10, "entry_time": "2025-10-27T09:15:00", "status": "open"}""")), 1, false);
        assertThat(r.getOrders()).isEqualTo(1);
        assertThat(r.getFills()).isEqualTo(1);
        assertThat(db.text("SELECT symbol || ' ' || side || ' ' || status || ' ' || avg_price FROM trading.orders")).isEqualTo("RELIANCE buy ongoing 2450");
        assertThat(db.text("SELECT price || ' ' || fill_value FROM trading.fills")).isEqualTo("2450 24500");
    }

    @Test
    void oneClosedTradeIsABuyAndASellWithTwoFills() throws Exception {
        RunResult r = importTrades(file("closed.json", trades("""
                {"symbol": "TCS.NS", "entry_price": 3850, "qty": 5, "entry_time": "2025-10-27T09:15:00", "status": "CLOSED",
                 "exit_price": 3900, "exit_time": "2025-10-27T15:30:00"}""")), 1, false);
        assertThat(r.getOrders()).isEqualTo(2);
        assertThat(r.getFills()).isEqualTo(2);
        assertThat(db.text("SELECT string_agg(side || ':' || status || ':' || avg_price, ',' ORDER BY side) FROM trading.orders"))
                .isEqualTo("buy:closed:3850,sell:closed:3900");
        assertThat(db.text("SELECT string_agg(fill_value::text, ',' ORDER BY fill_value) FROM trading.fills")).isEqualTo("19250,19500");
    }

    @Test
    void dryRunReportsTheCountsAndLeavesTheDatabaseUnchanged() throws Exception {
        importTrades(file("before.json", trades(openTrade("SBIN", "800", "1", "2025-10-20T10:00:00"))), 1, false);
        String before = db.contentDigest();
        long keysBefore = db.count("SELECT count(*) FROM ferry.record_keys");

        RunResult dry = importTrades(file("dry.json", FORMATS_EXAMPLE), 1, true);

        assertThat(dry.isDryRun()).isTrue();
        assertThat(dry.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(dry.getOrders()).isEqualTo(4);
        assertThat(dry.getFills()).isEqualTo(3);
        assertThat(db.contentDigest()).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM ferry.record_keys")).isEqualTo(keysBefore);
        assertThat(db.count("SELECT count(*) FROM ferry.processed_files WHERE run_id = " + dry.getRunId())).isZero();
        assertThat(db.text("SELECT dry_run || ' ' || orders FROM ferry.runs WHERE id = " + dry.getRunId())).isEqualTo("true 4");

        // and the real run afterwards gives exactly what the dry run announced
        RunResult real = importTrades(file("dry.json", FORMATS_EXAMPLE), 1, false);
        assertThat(real.getOrders()).isEqualTo(dry.getOrders());
        assertThat(real.getFills()).isEqualTo(dry.getFills());
    }

    @Test
    void theSameFileTwiceIsADuplicateFileAndChangesNothing() throws Exception {
        Path f = file("twice.json", FORMATS_EXAMPLE);
        RunResult first = importTrades(f, 1, false);
        String after = db.contentDigest();

        RunResult second = importTrades(f, 1, false);

        assertThat(second.getStatus()).isEqualTo(RunStatus.DUPLICATE_FILE);
        assertThat(second.getDuplicateOfRun()).isEqualTo(first.getRunId());
        assertThat(second.getStatus().clean()).isTrue();
        assertThat(db.contentDigest()).isEqualTo(after);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + second.getRunId())).isEqualTo("duplicate_file");
        // the same bytes for another user are not that user's duplicate
        assertThat(importTrades(f, 2, false).getOrders()).isEqualTo(4);
    }

    @Test
    void aDuplicateTradeInsideAFileIsSkippedAndCounted() throws Exception {
        String t = openTrade("RELIANCE", "2450.0", "10", "2025-10-27T09:15:00");
        // same key spelled differently: suffixed symbol, money string, offset time
        String same = "{\"symbol\": \"RELIANCE-EQ\", \"entry_price\": \"Rs 2,450.00\", \"qty\": \"10\", "
                + "\"entry_time\": \"2025-10-27T09:15:00+05:30\", \"status\": \"open\"}";
        RunResult r = importTrades(file("dup.json", trades(t, same, openTrade("TCS", "1", "1", "2025-10-27T09:15:00"))), 1, false);

        assertThat(r.getRecordsRead()).isEqualTo(3);
        assertThat(r.getLoaded()).isEqualTo(2);
        assertThat(r.getDuplicates()).isEqualTo(1);
        assertReconciles(r);
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = 'RELIANCE'")).isEqualTo(1);
        assertThat(db.text("SELECT record_path || ' first ' || first_record_no || ' run ' || (first_run_id = run_id) FROM ferry.duplicates"))
                .isEqualTo("trades[1] first 1 run true");
    }

    @Test
    void tradesLoadedByAnEarlierRunAreSkippedAsDuplicates() throws Exception {
        RunResult first = importTrades(file("day1.json", trades(openTrade("A", "1", "1", "2025-10-27T09:15:00"))), 1, false);
        RunResult second = importTrades(file("day2.json", trades(openTrade("A", "1", "1", "2025-10-27T09:15:00"),
                openTrade("B", "2", "2", "2025-10-28T09:15:00"))), 1, false);

        assertThat(second.getLoaded()).isEqualTo(1);
        assertThat(second.getDuplicates()).isEqualTo(1);
        assertReconciles(second);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(2);
        assertThat(db.count("SELECT first_run_id FROM ferry.duplicates WHERE run_id = " + second.getRunId())).isEqualTo(first.getRunId());
    }

    @Test
    void concurrentLoadsOfOverlappingFilesForOneUserLoadEachTradeOnce() throws Exception {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String t = openTrade("S" + i, "10", "1", "2025-10-27T09:15:00");
            if (i < 200) {
                a.add(t);
            }
            if (i >= 100) {
                b.add(t);
            }
        }
        Path fa = file("conc-a.json", trades(a.toArray(String[]::new)));
        Path fb = file("conc-b.json", trades(b.toArray(String[]::new)));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var ra = pool.submit(() -> importTrades(fa, 1, false));
            var rb = pool.submit(() -> importTrades(fb, 1, false));
            RunResult x = ra.get();
            RunResult y = rb.get();
            assertThat(List.of(x.getStatus(), y.getStatus())).containsOnly(RunStatus.COMPLETED);
            assertThat(x.getLoaded() + y.getLoaded()).isEqualTo(300);
            assertThat(x.getDuplicates() + y.getDuplicates()).isEqualTo(100);
        } finally {
            pool.shutdown();
        }
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(300);
        assertThat(db.count("SELECT count(DISTINCT symbol) FROM trading.orders")).isEqualTo(300);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "missing symbol | {\"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"} | symbol | missing symbol",
        "missing entry_price | {\"symbol\": \"X\", \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"} | entry_price | missing entry_price",
        "missing entry_time | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1} | entry_time | missing entry_time",
        "missing qty | {\"symbol\": \"X\", \"entry_price\": 1, \"entry_time\": \"2025-10-27T09:15:00\"} | qty | missing qty",
        "qty zero | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 0, \"entry_time\": \"2025-10-27T09:15:00\"} | qty | qty must be greater than 0",
        "qty negative | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": -5, \"entry_time\": \"2025-10-27T09:15:00\"} | qty | qty must be greater than 0",
        "unparseable price | {\"symbol\": \"X\", \"entry_price\": \"abc\", \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"} | entry_price | entry_price is not a number: 'abc'",
        "unparseable time | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"27/10/2025 09:15\"} | entry_time | entry_time is not an ISO-8601 time",
        "closed without exit_price | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"closed\", \"exit_time\": \"2025-10-27T10:00:00\"} | exit_price | missing exit_price",
        "closed without exit_time | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"closed\", \"exit_price\": 2} | exit_time | missing exit_time",
        "unknown status | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"weird\"} | status | unknown status 'weird'",
        "not an object | 42 | | record is not a JSON object",
        "NUL in a kept field | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"note\": \"a\\u0000b\"} | metadata | contains a NUL character",
        "NUL in the order type | {\"symbol\": \"X\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"order_type\": \"li\\u0000mit\"} | order_type | contains a NUL character",
    })
    void badRecordsAreRejectedWithTheirReasonAndTheRestLoads(String name, String bad, String field, String reason) throws Exception {
        RunResult r = importTrades(file("bad.json", trades(openTrade("GOOD1", "1", "1", "2025-10-27T09:15:00"), bad,
                openTrade("GOOD2", "1", "1", "2025-10-27T09:15:00"))), 1, false);

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED_WITH_REJECTS);
        assertThat(r.getLoaded()).isEqualTo(2);
        assertThat(r.getRejected()).isEqualTo(1);
        assertReconciles(r);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(2);
        Map<String, Object> reject = rows("SELECT source_file, record_no, record_path, line, field, reason, raw::text FROM ferry.rejects").get(0);
        assertThat(reject.get("source_file")).isEqualTo("bad.json");
        assertThat(reject.get("record_no")).isEqualTo("2");
        assertThat(reject.get("record_path")).isEqualTo("trades[1]");
        assertThat(reject.get("line")).isEqualTo("1");
        assertThat(reject.get("field")).isEqualTo(field);
        assertThat((String) reject.get("reason")).contains(reason);
        assertThat(JSON.readTree((String) reject.get("raw"))).as("the raw record, as read").isEqualTo(JSON.readTree(bad));
        assertThat(r.getRejects()).singleElement().satisfies(x -> assertThat(x.reason()).contains(reason));
    }

    @Test
    void invalidJsonIsReportedWithLineAndColumnAndLoadsNothing() throws Exception {
        RunResult r = importTrades(file("broken.json", "{\"trades\": [\n  {\"symbol\": \"A\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"},\n  {\"symbol\": \"B\" \"qty\": 2}\n]}"), 1, false);

        assertThat(r.getStatus()).isEqualTo(RunStatus.INVALID);
        assertThat(r.getMessage()).contains("invalid JSON at line 3, column 18");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + r.getRunId())).isEqualTo("invalid");
    }

    @Test
    void anUnknownUserIsRefusedWholly() throws Exception {
        RunResult r = importTrades(file("stranger.json", FORMATS_EXAMPLE), 999, false);

        assertThat(r.getStatus()).isEqualTo(RunStatus.REFUSED);
        assertThat(r.getMessage()).contains("unknown user 999");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isZero();
        assertThat(db.count("SELECT count(*) FROM ferry.processed_files")).isZero();
    }

    @Test
    void moneyStringsBecomeExactNumerics() throws Exception {
        importTrades(file("money.json", trades("""
                {"symbol": "A", "entry_price": "Rs 2,450.10", "qty": "+10", "entry_time": "2025-10-27T09:15:00", "status": "closed",
                 "exit_price": "₹1,00,000.05", "exit_time": "2025-10-27T10:00:00"}""", """
                {"symbol": "B", "entry_price": 0.1, "qty": 3, "entry_time": "2025-10-27T09:15:00"}""")), 1, false);
        assertThat(db.text("SELECT string_agg(avg_price::text, ',' ORDER BY symbol, side) FROM trading.orders")).isEqualTo("2450.10,100000.05,0.1");
        assertThat(db.text("SELECT string_agg(fill_value::text, ',' ORDER BY fill_value) FROM trading.fills")).isEqualTo("0.3,24501.00,1000000.50");
        assertThat(db.text("SELECT pg_typeof(avg_price)::text FROM trading.orders LIMIT 1")).isEqualTo("numeric");
    }

    @Test
    void naiveTimesAreReadInTheSourceZoneAndOffsetsAreKept() throws Exception {
        importTrades(file("times.json", trades(
                openTrade("NAIVE", "1", "1", "2025-10-27T09:15:00"),
                openTrade("SPACE", "1", "1", "2025-10-27 09:15:00"),
                openTrade("IST", "1", "1", "2025-10-27T09:15:00+05:30"),
                openTrade("NY", "1", "1", "2025-10-27T09:15:00-04:00"),
                openTrade("UTC", "1", "1", "2025-10-27T03:45:00Z"))), 1, false);
        assertThat(rows("SELECT symbol, to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS utc FROM trading.orders ORDER BY symbol"))
                .containsExactly(Map.of("symbol", "IST", "utc", "2025-10-27 03:45"), Map.of("symbol", "NAIVE", "utc", "2025-10-27 03:45"),
                        Map.of("symbol", "NY", "utc", "2025-10-27 13:15"), Map.of("symbol", "SPACE", "utc", "2025-10-27 03:45"),
                        Map.of("symbol", "UTC", "utc", "2025-10-27 03:45"));
    }

    @Test
    void failedOrdersBecomeFailedOrdersWithoutFills() throws Exception {
        RunResult r = importTrades(file("failed.json", """
                {"trades": [],
                 "failed_orders": [
                   {"symbol": "INFY-EQ", "qty": 3, "reason": "insufficient funds", "first_failed_at": "2025-10-27T09:16:00"},
                   {"symbol": "WIPRO", "qty": 7, "reason": "circuit limit"}],
                 "last_run": "2025-10-27T15:35:00+05:30"}"""), 1, false);
        assertThat(r.getOrders()).isEqualTo(2);
        assertThat(r.getFills()).isZero();
        assertThat(rows("SELECT symbol, status, to_char(placed_at AT TIME ZONE 'Asia/Kolkata', 'HH24:MI') AS at FROM trading.orders ORDER BY symbol"))
                .containsExactly(Map.of("symbol", "INFY", "status", "failed", "at", "09:16"),
                        Map.of("symbol", "WIPRO", "status", "failed", "at", "15:35"));

        // without first_failed_at and without last_run there is no time to give it: rejected, not invented
        RunResult noTime = importTrades(file("failed2.json", "{\"failed_orders\": [{\"symbol\": \"TCS\", \"qty\": 1, \"reason\": \"x\"}]}"), 1, false);
        assertThat(noTime.getRejected()).isEqualTo(1);
        assertThat(noTime.getRejects().get(0).field()).isEqualTo("first_failed_at");
        assertReconciles(noTime);
    }

    @Test
    void aBareArrayOfTradesIsAccepted() throws Exception {
        RunResult r = importTrades(file("bare.json", "[" + openTrade("A", "1", "1", "2025-10-27T09:15:00") + "]"), 1, false);
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(db.text("SELECT record_no || ' ' || ferry_record FROM trading.orders JOIN ferry.record_keys ON run_id = ferry_run_id")).isEqualTo("1 1");
    }
}
