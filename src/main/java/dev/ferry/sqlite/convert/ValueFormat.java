package dev.ferry.sqlite.convert;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A converted value as COPY text and as the canonical text that validation hashes
 * (see {@link TargetKind#canonicalSql}).
 */
public final class ValueFormat {

    private ValueFormat() {
    }

    /** Appends the value in COPY's text format (escaped), NULL as \N. */
    public static void copy(TargetKind kind, Object v, StringBuilder out) {
        if (v == null) {
            out.append("\\N");
            return;
        }
        switch (kind) {
            case BYTEA -> out.append("\\\\x").append(Hex.of(v instanceof byte[] b ? b : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            case BOOLEAN -> out.append(((Boolean) v) ? 't' : 'f');
            case TIMESTAMP -> out.append(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
            case NUMERIC -> out.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            case INTEGER, DOUBLE, REAL, DATE, TIMESTAMPTZ -> out.append(v);
            default -> escape(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString(), out);
        }
    }

    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** A time as PostgreSQL stores timestamp and timestamptz: microseconds since 2000-01-01 00:00 UTC. */
    public static long pgMicros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000 - PG_EPOCH_MICROS;
    }

    /** The canonical text of a non-null value. */
    public static String canonical(TargetKind kind, Object v) {
        return switch (kind) {
            case DOUBLE -> Hex.of(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case REAL -> Hex.of(Float.floatToRawIntBits(((Number) v).floatValue()) & 0xffffffffL).substring(8);
            case NUMERIC -> {
                BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
                yield d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
            }
            case BOOLEAN -> ((Boolean) v) ? "t" : "f";
            case DATE -> ((LocalDate) v).toString();
            case TIMESTAMPTZ, TIMESTAMP -> {
                Instant i = (Instant) v;
                yield Long.toString(Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000));
            }
            case BYTEA -> Hex.of(v instanceof byte[] b ? b : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
        };
    }

    static void escape(String v, StringBuilder out) {
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
