package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.ferry.bot.read.InboxFiles;
import dev.ferry.core.report.RunResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.junit.jupiter.api.Test;

/** A bot's whole data folder through the migrate route, in dependency order, files left untouched. */
class MigrateDataDirTest extends FerryTestSupport {

    @Test
    void migratesEveryFileKindInOrderAndLeavesTheFilesAsTheyWere() throws Exception {
        db.emptyTables();
        Path dir = work.resolve("bot");
        write(dir.resolve("trades_history.json"), Fixtures.formatsExample());
        write(dir.resolve("pending_orders.json"), """
                {"orders": [{"order_id": "251027000123", "symbol": "RELIANCE-EQ", "qty": 10, "placed_at": "2025-10-27T09:15:00", "status": "EXECUTED"},
                            {"order_id": "12345", "symbol": "TCS-EQ", "qty": 1, "placed_at": "2025-10-27T09:15:00", "status": "PENDING"}]}""");
        write(dir.resolve("paper_trading/user_1/orders.json"), """
                [{"order_id": "PT-1", "symbol": "INFY", "transaction_type": "BUY", "quantity": 2, "status": "COMPLETE",
                  "placed_at": "2025-10-27T09:15:00", "executed_at": "2025-10-27T09:15:02", "executed_price": 1500}]""");
        write(dir.resolve("paper_trading/user_1/holdings.json"), """
                {"INFY": {"quantity": 2, "average_price": 1500, "last_updated": "2025-10-27T15:30:00"}}""");
        write(dir.resolve("paper_trading/user_1/transactions.json"), """
                [{"order_id": "PT-1", "symbol": "INFY", "transaction_type": "BUY", "quantity": 2, "price": 1500,
                  "timestamp": "2025-10-27T09:15:02"}]""");
        String before = checksums(dir);

        @SuppressWarnings("unchecked")
        List<RunResult> results = ferry.template().requestBodyAndHeaders("direct:migrate-data-dir", null,
                Map.of("FerryDataDir", dir.toString(), "FerryUserId", 1L, "FerryDryRun", false), List.class);

        assertThat(results).extracting(RunResult::getFlow)
                .containsExactly("trades_history", "pending_orders", "paper_orders", "holdings", "transactions");
        assertThat(results).allSatisfy(r -> assertThat(r.getStatus().clean()).as(r.summaryLine()).isTrue());
        RunResult pending = results.get(1);
        assertThat(pending.getDuplicates()).as("the trade's broker order came first").isEqualTo(1);
        assertThat(pending.getLoaded()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4 + 1 + 1);
        assertThat(db.count("SELECT count(*) FROM trading.fills")).isEqualTo(3 + 1);
        assertThat(db.count("SELECT count(*) FROM trading.positions")).isEqualTo(1);
        assertThat(checksums(dir)).as("live files are read, never moved or changed").isEqualTo(before);
    }

    private static void write(Path p, String content) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static String checksums(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(dir.relativize(p)).append('=').append(InboxFiles.sha256(p)).append('\n');
            }
        }
        return sb.toString();
    }
}
