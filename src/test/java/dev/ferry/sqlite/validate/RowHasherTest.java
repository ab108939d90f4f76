package dev.ferry.sqlite.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.RowConverter;
import dev.ferry.sqlite.convert.TargetKind;
import dev.ferry.sqlite.convert.Transform;
import org.junit.jupiter.api.Test;

/** The byte-level row hash equals the hash of the canonical text that PostgreSQL's side of the validation hashes. */
class RowHasherTest {

    private static ColumnPlan col(String name, TargetKind kind) {
        return new ColumnPlan(name, 0, name, kind.name().toLowerCase(), kind, Transform.defaultFor(kind), null, false, "test");
    }

    @Test
    void sameHashAsTheCanonicalText() throws Exception {
        List<ColumnPlan> cols = List.of(col("i", TargetKind.INTEGER), col("d", TargetKind.DOUBLE), col("r", TargetKind.REAL),
                col("n", TargetKind.NUMERIC), col("b", TargetKind.BOOLEAN), col("day", TargetKind.DATE), col("at", TargetKind.TIMESTAMPTZ),
                col("t", TargetKind.TEXT), col("j", TargetKind.JSONB), col("x", TargetKind.BYTEA));
        RowConverter conv = new RowConverter(cols, ZoneId.of("UTC"));
        RowHasher hasher = new RowHasher(conv.columns());
        List<Object[]> rows = List.of(
                new Object[] {-42L, -0.1, 1.5, new BigDecimal("2450.100"), true, LocalDate.of(2025, 10, 28), Instant.parse("2025-10-28T09:15:00.123456Z"),
                    "Müller ✓ 😀 tab\there", "{\"a\": [1, 2.50]}", new byte[] {0, 1, (byte) 0xff}},
                new Object[] {null, null, null, null, null, null, null, null, null, null},
                new Object[] {Long.MIN_VALUE, Double.NaN, -0.0f, BigDecimal.ZERO, false, LocalDate.of(12, 1, 1), Instant.EPOCH.minusSeconds(1),
                    "", "[]", new byte[0]});
        for (Object[] row : rows) {
            assertThat(hasher.hash(row)).isEqualTo(TableValidator.hash(TableValidator.canonical(conv, row)));
        }
    }
}
