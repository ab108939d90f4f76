package dev.ferry.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Map;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.TestDatabase;
import dev.ferry.v2.report.V2Result;
import org.junit.jupiter.api.Test;

/** ferry.v2.sync.deletes=apply: a trade deleted in v2 takes its v3 order, trade and sltp orders with it, and rollback puts them back. */
class V2SyncDeletesTest extends V2SourceTestSupport {

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.v2.sync.deletes", "apply", "ferry.v2.page-rows", "25");
    }

    @Test
    void deletesInV2RemoveTheirV3RowsAndRollbackRestoresThem() throws Exception {
        v2 = new TestDatabase(getClass(), "v2");
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.small().quirks(false).create(c);
        }
        // the target is Ferry's own database, as by default
        assertThat(v2("migrate", Map.of("FerryV2CreateV3", true)).ok()).isTrue();
        long closed = v2.text("SELECT min(id)::text FROM trades WHERE status = 'CLOSE' AND id IN (SELECT trade_id FROM sltp_orders)") == null ? 0
                : Long.parseLong(v2.text("SELECT min(id)::text FROM trades WHERE status = 'CLOSE' AND id IN (SELECT trade_id FROM sltp_orders)"));
        assertThat(closed).as("a closed trade with sltp orders").isPositive();
        String orderId = db.text("SELECT order_id FROM orders WHERE (extra_data->>'v2_trade_id')::int = " + closed);
        long sltp = v2.count("SELECT count(*) FROM sltp_orders WHERE trade_id = " + closed);
        long ordersBefore = db.count("SELECT count(*) FROM orders");
        String content = db.text("SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM orders x");
        v2.execute("DELETE FROM trades WHERE id = " + closed); // its sltp_orders go by ON DELETE CASCADE

        V2Result sync = v2("sync", Map.of());

        assertThat(sync.ok()).as(sync.summaryLine()).isTrue();
        assertThat(sync.getTables().get("trades").getDeletedInV2()).isEqualTo(1);
        assertThat(sync.getTables().get("trades").getDeletesApplied()).isEqualTo(2); // its order and its trade
        assertThat(sync.getTables().get("sltp_orders").getDeletedInV2()).isEqualTo(sltp);
        assertThat(db.count("SELECT count(*) FROM orders WHERE order_id = '" + orderId + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM trades WHERE order_id = '" + orderId + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore - 1);
        assertThat(v2("validate", Map.of()).getValidation().isValid()).isTrue();

        V2Result undo = v2("rollback", Map.of("FerryRunId", sync.getRunId(), "FerryConfirm", "DELETE"));
        assertThat(undo.ok()).as(undo.summaryLine()).isTrue();
        assertThat(db.text("SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM orders x")).isEqualTo(content);
    }
}
