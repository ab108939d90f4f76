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
 * A row's validation hash: PostgreSQL's hashtextextended(canonical text, 0) (see
 * {@link TableValidator#canonical} and {@link PgHash}), with the text written straight into
 * a byte buffer instead of through a String, since every loaded row is hashed. One per thread.
 */
public final class RowHasher {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ColumnPlan[] columns;
    private byte[] buf = new byte[512];
    private int len;

    public RowHasher(ColumnPlan[] columns) {
        this.columns = columns;
    }

    public long hash(Object[] row) {
        len = 0;
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                put((byte) 0x1f);
            }
            Object v = row[i];
            if (v == null) {
                put((byte) '\\');
                put((byte) 'N');
                continue;
            }
            switch (columns[i].kind()) {
                case INTEGER -> ascii(Long.toString(((Number) v).longValue()));
                case DOUBLE -> hex(Double.doubleToRawLongBits(((Number) v).doubleValue()), 16);
                case REAL -> hex(Float.floatToRawIntBits(((Number) v).floatValue()) & 0xffffffffL, 8);
                case BOOLEAN -> put((byte) (((Boolean) v) ? 't' : 'f'));
                case DATE -> date((LocalDate) v);
                case TIMESTAMPTZ, TIMESTAMP -> {
                    Instant t = (Instant) v;
                    ascii(Long.toString(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000));
                }
                case NUMERIC -> ascii(ValueFormat.canonical(TargetKind.NUMERIC, v instanceof BigDecimal ? v : v.toString()));
                case BYTEA -> {
                    byte[] b = v instanceof byte[] x ? x : v.toString().getBytes(StandardCharsets.UTF_8);
                    for (byte x : b) {
                        put(HEX[(x >> 4) & 0xf]);
                        put(HEX[x & 0xf]);
                    }
                }
                default -> text(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString());
            }
        }
        return PgHash.hashBytesExtended(buf, len, 0);
    }

    private void put(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
        }
        buf[len++] = b;
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put((byte) s.charAt(i));
        }
    }

    private void hex(long v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            put(HEX[(int) (v >>> shift) & 0xf]);
        }
    }

    private void date(LocalDate d) {
        int y = d.getYear();
        if (y < 0 || y > 9999) {
            ascii(d.toString());
            return;
        }
        put((byte) ('0' + y / 1000));
        put((byte) ('0' + y / 100 % 10));
        put((byte) ('0' + y / 10 % 10));
        put((byte) ('0' + y % 10));
        put((byte) '-');
        put((byte) ('0' + d.getMonthValue() / 10));
        put((byte) ('0' + d.getMonthValue() % 10));
        put((byte) '-');
        put((byte) ('0' + d.getDayOfMonth() / 10));
        put((byte) ('0' + d.getDayOfMonth() % 10));
    }

    private void text(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // not ASCII: the rest as UTF-8 in one go
                byte[] b = s.substring(i).getBytes(StandardCharsets.UTF_8);
                for (byte x : b) {
                    put(x);
                }
                return;
            }
            put((byte) c);
        }
    }
}
