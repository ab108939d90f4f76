package dev.ferry.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Map;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.TestDatabase;
import dev.ferry.v2.report.V2Result;
import org.junit.jupiter.api.Test;

/**
 * A closed v2 trade that the bot reopens (status back to OPEN, closed_at cleared) no longer makes a v3 trade:
 * the sync removes the v3 trade made when it closed, keeps its order (now OPEN), validates, and a rollback of
 * the sync puts the trade back as it was.
 */
class V2ReopenedTradeTest extends V2SourceTestSupport {

    @Test
    void aReopenedTradeLosesItsV3TradeAndARollbackRestoresIt() throws Exception {
        v2 = new TestDatabase(getClass(), "v2");
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.small().quirks(false).create(c);
        }
        assertThat(v2("migrate", Map.of("FerryV2CreateV3", true)).ok()).isTrue();
        long closed = Long.parseLong(v2.text("SELECT min(id)::text FROM trades WHERE status = 'CLOSE' AND closed_at IS NOT NULL"));
        String orderId = db.text("SELECT order_id FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + closed);
        assertThat(db.count("SELECT count(*) FROM trades WHERE order_id = '" + orderId + "'")).isEqualTo(1);
        String tradesBefore = db.text("SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM trades x");
        long tradeCount = db.count("SELECT count(*) FROM trades");

        v2.execute("UPDATE trades SET status = 'OPEN', closed_at = NULL, close_price = NULL WHERE id = " + closed);
        V2Result sync = v2("sync", Map.of());

        assertThat(sync.ok()).as(sync.summaryLine()).isTrue();
        assertThat(db.count("SELECT count(*) FROM trades WHERE order_id = '" + orderId + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM trades")).isEqualTo(tradeCount - 1);
        assertThat(db.text("SELECT status::text FROM orders WHERE order_id = '" + orderId + "'")).isEqualTo("OPEN");
        assertThat(sync.getNotes()).anyMatch(n -> n.contains("id " + closed + " no longer makes a v3 trades row"));
        assertThat(v2("validate", Map.of()).getValidation().isValid()).isTrue();

        V2Result undo = v2("rollback", Map.of("FerryRunId", sync.getRunId(), "FerryConfirm", "DELETE"));
        assertThat(undo.ok()).as(undo.summaryLine()).isTrue();
        assertThat(db.text("SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM trades x")).isEqualTo(tradesBefore);
    }
}
