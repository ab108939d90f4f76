package dev.ferry.sqlite.validate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.TargetKind;
import dev.ferry.sqlite.convert.ValueFormat;

/**
 * A row's validation hash, the same 64 bits as PostgreSQL's {@link TableValidator#rowHashSql}:
 * each column's hash (seeded with its position, {@link TargetKind#hashSql}) XORed together, a
 * NULL counting as a fixed mark of its own. Every loaded row is hashed, so the texts that some
 * kinds hash are written straight into a byte buffer. One per thread.
 */
public final class RowHasher {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** "NULL" in the high half, the column's position in the low one. */
    private static final long NULL_MARK = 0x4e554c4c_00000000L;

    private final ColumnPlan[] columns;
    private final byte[] scratch = new byte[8];
    private byte[] buf = new byte[256];
    private int len;

    public RowHasher(ColumnPlan[] columns) {
        this.columns = columns;
    }

    /** What PostgreSQL gives for a NULL in column {@code i}. */
    public static long nullMark(int i) {
        return NULL_MARK + i;
    }

    public long hash(Object[] row) {
        long h = 0;
        for (int i = 0; i < columns.length; i++) {
            h ^= row[i] == null ? nullMark(i) : column(columns[i].kind(), row[i], i + 1);
        }
        return h;
    }

    private long column(TargetKind kind, Object v, long seed) {
        switch (kind) {
            case INTEGER -> {
                return PgHash.hashInt8Extended(((Number) v).longValue(), seed, scratch);
            }
            case DOUBLE -> {
                return PgHash.hashFloat8Extended(((Number) v).doubleValue(), seed, scratch);
            }
            case REAL -> {
                return PgHash.hashFloat8Extended(((Number) v).floatValue(), seed, scratch);
            }
            case BOOLEAN -> {
                return PgHash.hashUint32Extended(((Boolean) v) ? 1 : 0, seed, scratch);
            }
            case TIMESTAMPTZ, TIMESTAMP -> {
                return PgHash.hashInt8Extended(ValueFormat.pgMicros((Instant) v), seed, scratch);
            }
            default -> {
                len = 0;
                switch (kind) {
                    case DATE -> date((LocalDate) v);
                    case NUMERIC -> ascii(ValueFormat.canonical(TargetKind.NUMERIC, v instanceof BigDecimal ? v : v.toString()));
                    case BYTEA -> {
                        byte[] b = v instanceof byte[] x ? x : v.toString().getBytes(StandardCharsets.UTF_8);
                        room(2 * b.length);
                        for (byte x : b) {
                            buf[len++] = HEX[(x >> 4) & 0xf];
                            buf[len++] = HEX[x & 0xf];
                        }
                    }
                    default -> text(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString());
                }
                return PgHash.hashBytesExtended(buf, len, seed);
            }
        }
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private void ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** PostgreSQL's ISO date text; years outside 0..9999 as Java writes them (those never match, and never occur in a market store). */
    private void date(LocalDate d) {
        int y = d.getYear();
        if (y < 0 || y > 9999) {
            ascii(d.toString());
            return;
        }
        room(10);
        int m = d.getMonthValue();
        int day = d.getDayOfMonth();
        buf[len++] = (byte) ('0' + y / 1000);
        buf[len++] = (byte) ('0' + y / 100 % 10);
        buf[len++] = (byte) ('0' + y / 10 % 10);
        buf[len++] = (byte) ('0' + y % 10);
        buf[len++] = '-';
        buf[len++] = (byte) ('0' + m / 10);
        buf[len++] = (byte) ('0' + m % 10);
        buf[len++] = '-';
        buf[len++] = (byte) ('0' + day / 10);
        buf[len++] = (byte) ('0' + day % 10);
    }

    private void text(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // not ASCII: the whole text as UTF-8 in one go
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                len = 0;
                room(b.length);
                System.arraycopy(b, 0, buf, 0, b.length);
                len = b.length;
                return;
            }
            buf[len++] = (byte) c;
        }
    }
}
