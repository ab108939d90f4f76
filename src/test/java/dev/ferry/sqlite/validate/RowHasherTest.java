package dev.ferry.sqlite.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.TargetKind;
import dev.ferry.sqlite.convert.Transform;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Ferry's row hash of converted values equals what PostgreSQL computes for the same row stored in a table. */
class RowHasherTest {

    private static ColumnPlan col(String name, TargetKind kind) {
        return new ColumnPlan(name, 0, name, kind.name().toLowerCase(), kind, Transform.defaultFor(kind), null, false, "test");
    }

    private static final List<ColumnPlan> COLUMNS = List.of(col("i", TargetKind.INTEGER), col("d", TargetKind.DOUBLE), col("r", TargetKind.REAL),
            col("n", TargetKind.NUMERIC), col("b", TargetKind.BOOLEAN), col("day", TargetKind.DATE), col("at", TargetKind.TIMESTAMPTZ),
            col("ts", TargetKind.TIMESTAMP), col("t", TargetKind.TEXT), col("j", TargetKind.JSONB), col("x", TargetKind.BYTEA));

    @Test
    void sameHashAsPostgresqlComputesForTheStoredRow() throws Exception {
        List<Object[]> rows = List.of(
                new Object[] {-42L, -0.1, 1.5f, new BigDecimal("2450.100"), true, LocalDate.of(2025, 10, 28),
                    Instant.parse("2025-10-28T09:15:00.123456Z"), Instant.parse("2025-10-28T09:15:00Z"), "Müller ✓ 😀 tab\there",
                    "{\"a\": [1, 2.50]}", new byte[] {0, 1, (byte) 0xff}},
                new Object[] {null, null, null, null, null, null, null, null, null, null, null},
                new Object[] {Long.MIN_VALUE, Double.NaN, -0.0f, BigDecimal.ZERO, false, LocalDate.of(12, 1, 1), Instant.EPOCH.minusSeconds(1),
                    Instant.parse("1999-12-31T23:59:59.999999Z"), "", "[]", new byte[0]},
                new Object[] {1L << 31, -0.0, Float.MAX_VALUE, new BigDecimal("-0.000001"), true, LocalDate.of(2000, 1, 1),
                    Instant.parse("2038-01-19T03:14:08Z"), Instant.parse("2000-01-01T00:00:00Z"), "ascii only", "{}", "x".getBytes()},
                new Object[] {-1L, Double.MAX_VALUE, Float.NaN, new BigDecimal("1e20"), null, LocalDate.of(9999, 12, 31),
                    Instant.parse("1970-01-01T00:00:00.000001Z"), null, "日本", "{\"k\": null}", null});
        RowHasher hasher = new RowHasher(COLUMNS.toArray(new ColumnPlan[0]));
        List<Long> expected = new ArrayList<>();
        try (TestDatabase db = new TestDatabase(RowHasherTest.class); Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'America/New_York'"); // the hash must not depend on the session's zone
                st.execute("CREATE TABLE rh (ord int, i bigint, d double precision, r real, n numeric, b boolean, day date, at timestamptz,"
                        + " ts timestamp, t text, j jsonb, x bytea)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rh VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
                for (int k = 0; k < rows.size(); k++) {
                    Object[] r = rows.get(k);
                    ps.setInt(1, k);
                    ps.setObject(2, r[0], Types.BIGINT);
                    ps.setObject(3, r[1], Types.DOUBLE);
                    ps.setObject(4, r[2], Types.REAL);
                    ps.setObject(5, r[3], Types.NUMERIC);
                    ps.setObject(6, r[4], Types.BOOLEAN);
                    ps.setObject(7, r[5]);
                    ps.setObject(8, r[6] == null ? null : OffsetDateTime.ofInstant((Instant) r[6], ZoneOffset.UTC));
                    ps.setObject(9, r[7] == null ? null : LocalDateTime.ofInstant((Instant) r[7], ZoneOffset.UTC));
                    ps.setString(10, (String) r[8]);
                    ps.setString(11, (String) r[9]);
                    ps.setBytes(12, (byte[]) r[10]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + TableValidator.rowHashSql(COLUMNS) + " FROM rh t ORDER BY ord")) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
        }
        assertThat(expected).hasSameSizeAs(rows);
        for (int k = 0; k < rows.size(); k++) {
            assertThat(hasher.hash(rows.get(k))).as("row %d", k).isEqualTo(expected.get(k));
        }
    }

    @Test
    void aRowHashesDifferentlyWhenTwoColumnsSwapTheirValues() {
        List<ColumnPlan> two = List.of(col("a", TargetKind.INTEGER), col("b", TargetKind.INTEGER));
        RowHasher hasher = new RowHasher(two.toArray(new ColumnPlan[0]));
        assertThat(hasher.hash(new Object[] {1L, 2L})).isNotEqualTo(hasher.hash(new Object[] {2L, 1L}));
        assertThat(hasher.hash(new Object[] {1L, null})).isNotEqualTo(hasher.hash(new Object[] {null, 1L}));
    }
}
