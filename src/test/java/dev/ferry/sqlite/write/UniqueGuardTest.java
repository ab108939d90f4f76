package dev.ferry.sqlite.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.TargetKind;
import dev.ferry.sqlite.read.SourceColumn;
import dev.ferry.sqlite.read.SourceIndex;
import dev.ferry.sqlite.read.SourceTable;
import org.junit.jupiter.api.Test;

/**
 * The guard on a table's unique key (symbol, date): a hash seen before is confirmed by comparing
 * the keys of both rows, so forced collisions (every key hashing alike) reject only the rows that
 * really repeat a key.
 */
class UniqueGuardTest {

    private static final TablePlan PLAN = new TablePlan(
            new SourceTable("ohlcv", false, true,
                    List.of(new SourceColumn("symbol", "TEXT", false, 0), new SourceColumn("date", "TEXT", false, 0),
                            new SourceColumn("close", "REAL", false, 0)),
                    List.of(), List.of(new SourceIndex("ohlcv_key", true, List.of("symbol", "date"))), List.of(), List.of()),
            "market", "ohlcv",
            List.of(new ColumnPlan("symbol", 0, "symbol", "text", TargetKind.TEXT, null, null, false, null),
                    new ColumnPlan("date", 1, "date", "date", TargetKind.DATE, null, null, false, null),
                    new ColumnPlan("close", 2, "close", "double precision", TargetKind.DOUBLE, null, null, false, null)),
            false, List.of());

    /** Rows by source position, as the guard reads them back. */
    private final Map<Long, Object[]> source = new HashMap<>();
    private int lookups;

    private String offer(UniqueGuard guard, long position, String symbol, String date, double close) throws Exception {
        Object[] row = {symbol, LocalDate.parse(date), close};
        source.put(position, row);
        return guard.check(row, position, p -> {
            lookups++;
            return source.get(p);
        });
    }

    @Test
    void aForcedCollisionIsConfirmedByTheKeysAndRejectsNothingValid() throws Exception {
        UniqueGuard guard = new UniqueGuard(PLAN, 10, 0L); // every key hashes alike

        assertThat(offer(guard, 1, "AAPL", "2025-10-28", 1.0)).isNull();
        assertThat(offer(guard, 2, "MSFT", "2025-10-28", 2.0)).isNull();
        assertThat(offer(guard, 3, "AAPL", "2025-10-29", 3.0)).isNull();
        assertThat(lookups).as("each hit read an earlier row to compare").isEqualTo(3);
        assertThat(offer(guard, 4, "MSFT", "2025-10-28", 4.0)).isEqualTo("unique violation: repeats the key (symbol, date) of an earlier row");
        assertThat(offer(guard, 5, null, "2025-10-28", 5.0)).as("a NULL in the key is never a duplicate").isNull();
    }

    @Test
    void withFullHashesADuplicateIsStillFoundAndDistinctKeysAreNotReadBack() throws Exception {
        UniqueGuard guard = new UniqueGuard(PLAN, 10);

        assertThat(offer(guard, 1, "AAPL", "2025-10-28", 1.0)).isNull();
        assertThat(offer(guard, 2, "MSFT", "2025-10-28", 2.0)).isNull();
        assertThat(lookups).isZero();
        assertThat(offer(guard, 3, "AAPL", "2025-10-28", 3.0)).startsWith("unique violation");
        assertThat(lookups).isEqualTo(1);
    }
}
