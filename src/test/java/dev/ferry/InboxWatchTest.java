package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** Files dropped into the watched inbox of a running Ferry. */
class InboxWatchTest extends FerryTestSupport {

    private static final String EXAMPLE = Fixtures.formatsExample();

    @Override
    protected boolean watch() {
        return true;
    }

    /** Notified when the inbox route is done with this very file (a file of an earlier test may still be finishing). */
    private NotifyBuilder doneWith(String relative) {
        String name = relative.replace('/', java.io.File.separatorChar);
        return new NotifyBuilder(ferry.context()).fromRoute("inbox-bot-files")
                .filter(e -> name.equals(e.getIn().getHeader(org.apache.camel.Exchange.FILE_NAME, String.class))).whenDone(1).create();
    }

    /** Drops a file the way a careful copy does (write elsewhere, move in) and waits for Ferry to finish it. */
    private void drop(String relative, String content) throws Exception {
        NotifyBuilder done = doneWith(relative);
        Path staged = file("staging/" + relative.replace('/', '_'), content);
        Path target = work.resolve("inbox").resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("inbox route finished %s", relative).isTrue();
    }

    @Test
    void aDroppedFileIsLoadedMovedToDoneAndADuplicateDropChangesNothing() throws Exception {
        drop("user_1/trades_history.json", EXAMPLE);

        assertThat(db.text("""
                SELECT string_agg(symbol || ' ' || side || ' ' || status, ', ' ORDER BY ferry_record, side) FROM trading.orders WHERE user_id = 1"""))
                .isEqualTo("RELIANCE buy ongoing, TCS buy closed, TCS sell closed, INFY buy failed");
        assertThat(db.count("SELECT count(*) FROM trading.fills WHERE user_id = 1")).isEqualTo(3);
        assertThat(db.text("SELECT status || ' ' || source_file FROM ferry.runs WHERE user_id = 1")).isEqualTo("completed trades_history.json");
        assertThat(work.resolve("done/user_1/trades_history.json")).exists();
        assertThat(work.resolve("inbox/user_1/trades_history.json")).doesNotExist();
        long runId = db.count("SELECT max(id) FROM ferry.runs WHERE user_id = 1");
        JsonNode report = ReportWriter.JSON.readTree(work.resolve("reports/run-" + runId + ".json").toFile());
        assertThat(report.get("orders").asLong()).isEqualTo(4);
        String digest = db.contentDigest();

        drop("user_1/trades_history.json", EXAMPLE);

        assertThat(db.contentDigest()).isEqualTo(digest);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE user_id = 1 ORDER BY id DESC LIMIT 1")).isEqualTo("duplicate_file");
        // the second copy is kept too, under a name that does not overwrite the first
        assertThat(work.resolve("done/user_1/trades_history-run" + (runId + 1) + ".json")).exists();
        assertThat(work.resolve("inbox/user_1/trades_history.json")).doesNotExist();
    }

    @Test
    void aPendingOrdersFileIsRecognisedByItsName() throws Exception {
        drop("user_2/pending_orders-2025-10-27.json", "[{\"order_id\": \"W-1\", \"symbol\": \"TCS\", \"qty\": 2, "
                + "\"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"}]");

        assertThat(work.resolve("done/user_2/pending_orders-2025-10-27.json")).exists();
        assertThat(db.text("SELECT orig_source || ' ' || status FROM trading.orders WHERE broker_order_id = 'W-1'"))
                .isEqualTo("pending_orders ongoing");
        assertThat(db.text("SELECT flow FROM ferry.runs WHERE source_file = 'pending_orders-2025-10-27.json'")).isEqualTo("pending_orders");
    }

    @Test
    void aPaperOrdersFileIsRecognisedByItsFolder() throws Exception {
        drop("user_2/paper_trading/orders.json", "[{\"order_id\": \"PT-W-1\", \"symbol\": \"INFY\", \"quantity\": 4, "
                + "\"placed_at\": \"2025-10-27T09:15:00\", \"status\": \"OPEN\"}]");

        assertThat(work.resolve("done/user_2/paper_trading/orders.json")).exists();
        assertThat(db.text("SELECT orig_source || ' ' || status FROM trading.orders WHERE order_id = 'PT-W-1'")).isEqualTo("paper_trading pending");
    }

    @Test
    void invalidJsonGoesToTheErrorFolderWithAReportNamingLineAndColumn() throws Exception {
        drop("user_2/trades_history-broken.json", "{\"trades\": [\n {\"symbol\": \"A\",, }\n]}");

        JsonNode report = invalidReport("user_2/trades_history-broken.json");
        assertThat(report.get("message").asText()).startsWith("invalid JSON at line 2, column 17");
    }

    /** The report beside a file the inbox found invalid, now in the error folder. */
    private JsonNode invalidReport(String relative) throws Exception {
        Path moved = work.resolve("error").resolve(relative);
        assertThat(moved).exists();
        JsonNode report = ReportWriter.JSON.readTree(Path.of(moved + ".error.json").toFile());
        assertThat(report.get("status").asText()).isEqualTo("INVALID");
        assertThat(report.get("sourceFile").asText()).isEqualTo(moved.getFileName().toString());
        return report;
    }

    @Test
    void anEmptyFileGoesToTheErrorFolderAndTheFileAfterItStillLoads() throws Exception {
        drop("user_2/trades_history-empty.json", "");

        JsonNode report = invalidReport("user_2/trades_history-empty.json");
        assertThat(report.get("message").asText()).isEqualTo("trades_history-empty.json is empty (0 bytes): nothing was read");

        drop("user_2/trades_history-after.json", EXAMPLE);
        assertThat(work.resolve("done/user_2/trades_history-after.json")).exists();
    }

    @Test
    void aFileForAnUnknownUserIsRefusedAndMovedToError() throws Exception {
        drop("user_77/trades_history.json", EXAMPLE);

        Path moved = work.resolve("error/user_77/trades_history.json");
        assertThat(moved).exists();
        assertThat(ReportWriter.JSON.readTree(Path.of(moved + ".error.json").toFile()).get("message").asText()).contains("unknown user 77");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 77")).isZero();
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        NotifyBuilder done = doneWith("user_2/trades_history-slow.json");
        Path target = work.resolve("inbox/user_2/trades_history-slow.json");
        Files.createDirectories(target.getParent());
        // half a file, written slowly: if Ferry read it now it would be invalid JSON
        Files.writeString(target, "{\"trades\": [");
        for (int i = 0; i < 5; i++) {
            Thread.sleep(150);
            Files.writeString(target, " ", java.nio.file.StandardOpenOption.APPEND);
        }
        assertThat(done.matches(1, TimeUnit.MILLISECONDS)).as("not read while growing").isFalse();
        Files.writeString(target, "{\"symbol\": \"SLOW\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"}]}",
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(done.matches(30, TimeUnit.SECONDS)).isTrue();
        assertThat(work.resolve("done/user_2/trades_history-slow.json")).exists();
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = 'SLOW'")).isEqualTo(1);
    }
}
