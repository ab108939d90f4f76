package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** paper_trading/holdings.json into trading.positions, through the same import route. */
class HoldingsImportTest extends FerryTestSupport {

    @BeforeEach
    void emptyTables() {
        db.emptyTables();
    }

    private RunResult importHoldings(String name, String content) throws Exception {
        return importFile("holdings", file("paper_trading/" + name, content), 1, false);
    }

    private String positions() {
        return db.text("""
                SELECT string_agg(concat_ws(' ', symbol, quantity, avg_price, unrealized_pnl,
                                            to_char(opened_at AT TIME ZONE 'Asia/Kolkata', 'MM-DD HH24:MI'),
                                            CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END),
                                  ', ' ORDER BY symbol)
                FROM trading.positions WHERE user_id = 1""");
    }

    @Test
    void formatsExampleOpensOnePosition() throws Exception {
        RunResult r = importHoldings("holdings.json", """
                {"RELIANCE": {"symbol": "RELIANCE", "quantity": 10, "average_price": 2450.0,
                              "current_price": 2500.0, "pnl": 500.0, "last_updated": "2025-10-27T15:30:00"}}""");

        assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getPositions()).isEqualTo(1);
        assertThat(positions()).isEqualTo("RELIANCE 10 2450 500 10-27 15:30 open");
        assertThat(db.text("SELECT metadata->>'current_price' FROM trading.positions")).isEqualTo("2500");
        assertThat(db.text("SELECT action FROM ferry.position_changes WHERE run_id = " + r.getRunId())).isEqualTo("insert");
    }

    @Test
    void aLaterSnapshotUpdatesTheOpenPositionAndKeepsWhatItWas() throws Exception {
        importHoldings("holdings-1.json", """
                {"TCS": {"quantity": 5, "avg_price": 3850, "unrealized_pnl": 10, "last_updated": "2025-10-27T10:00:00"}}""");
        long id = db.count("SELECT id FROM trading.positions");

        RunResult r = importHoldings("holdings-2.json", """
                {"TCS": {"quantity": 8, "avg_price": "Rs 3,860.00", "unrealized_pnl": "-12.5", "last_updated": "2025-10-28T10:00:00"},
                 "INFY": {"quantity": 2, "average_price": 1500, "last_updated": "2025-10-28T10:00:00"}}""");

        assertThat(r.getPositions()).isEqualTo(2);
        assertThat(positions()).as("TCS updated in place, opened time kept; INFY opened")
                .isEqualTo("INFY 2 1500 0 10-28 10:00 open, TCS 8 3860.00 -12.5 10-27 10:00 open");
        assertThat(db.count("SELECT id FROM trading.positions WHERE symbol = 'TCS'")).isEqualTo(id);
        assertThat(db.text("SELECT action || ' ' || (before->>'quantity') FROM ferry.position_changes WHERE position_id = " + id
                + " AND run_id = " + r.getRunId())).isEqualTo("update 5");
    }

    @Test
    void theSameSnapshotAgainChangesNothing() throws Exception {
        String snapshot = "{\"SBIN\": {\"quantity\": 3, \"average_price\": 800, \"last_updated\": \"2025-10-27T10:00:00\"}}";
        importHoldings("a.json", snapshot);
        String before = db.contentDigest();
        RunResult again = importHoldings("b.json", snapshot + " ");

        assertThat(again.getDuplicates()).isEqualTo(1);
        assertThat(again.getPositions()).isZero();
        assertThat(db.contentDigest()).isEqualTo(before);
    }

    @Test
    void badHoldingsAreRejectedAndTheRestLoads() throws Exception {
        RunResult r = importHoldings("bad.json", """
                {"A": {"quantity": 0, "average_price": 1},
                 "B": {"quantity": 1},
                 "C": {"quantity": 1, "average_price": "x"},
                 "D": {"quantity": 1, "average_price": 1}}""");
        assertThat(r.getLoaded()).isEqualTo(1);
        assertThat(r.getRejected()).isEqualTo(3);
        assertThat(r.getRejects()).extracting(x -> x.recordPath() + " " + x.field()).containsExactly("A quantity", "B average_price", "C average_price");
        assertThat(positions()).startsWith("D 1 1 0");
    }
}
