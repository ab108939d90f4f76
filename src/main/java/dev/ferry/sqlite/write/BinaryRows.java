package dev.ferry.sqlite.write;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.ferry.sqlite.convert.CastException;
import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.ValueFormat;

/**
 * Converted rows in COPY's binary format: numbers, dates and times go as their bytes,
 * so neither Ferry formats nor PostgreSQL parses them (the two costliest steps of a
 * text COPY of OHLCV bars). Used when every column's type is one of those below;
 * otherwise the table goes in text format.
 */
public final class BinaryRows {

    /** Types whose binary input Ferry writes, by format_type() spelling (and the cast rules'). */
    private static final Set<String> INT8 = Set.of("bigint", "int8");
    private static final Set<String> INT4 = Set.of("integer", "int4", "int");
    private static final Set<String> INT2 = Set.of("smallint", "int2");
    private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private enum Kind { INT8, INT4, INT2, FLOAT8, FLOAT4, NUMERIC, BOOL, DATE, TIMESTAMP, TEXT, JSONB, BYTEA }

    private final Kind[] kinds;
    private final String[] names;

    private BinaryRows(Kind[] kinds, String[] names) {
        this.kinds = kinds;
        this.names = names;
    }

    /** The encoder for these columns written as these PostgreSQL types, or null when one has no binary form here. */
    public static BinaryRows forTypes(List<ColumnPlan> columns, List<String> pgTypes) {
        Kind[] kinds = new Kind[columns.size()];
        String[] names = new String[columns.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kind(pgTypes.get(i));
            names[i] = columns.get(i).sourceName();
            if (kinds[i] == null) {
                return null;
            }
        }
        return new BinaryRows(kinds, names);
    }

    private static Kind kind(String pgType) {
        String t = pgType.toLowerCase(Locale.ROOT).strip();
        if (INT8.contains(t)) {
            return Kind.INT8;
        }
        if (INT4.contains(t)) {
            return Kind.INT4;
        }
        if (INT2.contains(t)) {
            return Kind.INT2;
        }
        if (t.equals("double precision") || t.equals("float8")) {
            return Kind.FLOAT8;
        }
        if (t.equals("real") || t.equals("float4")) {
            return Kind.FLOAT4;
        }
        if (t.matches("(numeric|decimal)(\\s*\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?")) {
            return Kind.NUMERIC;
        }
        if (t.equals("boolean") || t.equals("bool")) {
            return Kind.BOOL;
        }
        if (t.equals("date")) {
            return Kind.DATE;
        }
        if (t.matches("timestamptz|timestamp( ?\\(\\d\\))?( with(out)? time zone)?")) {
            return Kind.TIMESTAMP;
        }
        if (t.equals("text") || t.matches("(character varying|varchar)(\\(\\d+\\))?")) {
            return Kind.TEXT;
        }
        if (t.equals("jsonb")) {
            return Kind.JSONB;
        }
        if (t.equals("bytea")) {
            return Kind.BYTEA;
        }
        return null;
    }

    /** Appends one tuple. A value the type cannot hold (a bigint in an integer column) is refused. */
    public void write(Object[] row, ByteSink out, Long extra) throws CastException {
        out.int16(row.length + (extra == null ? 0 : 1));
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                out.int32(-1);
                continue;
            }
            switch (kinds[i]) {
                case INT8 -> {
                    out.int32(8);
                    out.int64(((Number) v).longValue());
                }
                case INT4 -> {
                    long l = ((Number) v).longValue();
                    if (l != (int) l) {
                        throw new CastException(names[i], v, "out of range for integer: " + l);
                    }
                    out.int32(4);
                    out.int32((int) l);
                }
                case INT2 -> {
                    long l = ((Number) v).longValue();
                    if (l != (short) l) {
                        throw new CastException(names[i], v, "out of range for smallint: " + l);
                    }
                    out.int32(2);
                    out.int16((int) l);
                }
                case FLOAT8 -> {
                    out.int32(8);
                    out.int64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
                }
                case FLOAT4 -> {
                    out.int32(4);
                    out.int32(Float.floatToRawIntBits(((Number) v).floatValue()));
                }
                case NUMERIC -> numeric(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()), out);
                case BOOL -> {
                    out.int32(1);
                    out.int8(((Boolean) v) ? 1 : 0);
                }
                case DATE -> {
                    out.int32(4);
                    out.int32((int) (((LocalDate) v).toEpochDay() - PG_EPOCH_DAY));
                }
                case TIMESTAMP -> {
                    Instant t = (Instant) v;
                    out.int32(8);
                    out.int64(ValueFormat.pgMicros(t));
                }
                case TEXT -> {
                    if (v instanceof byte[] b) {
                        out.lengthPrefixed(b, -1);
                    } else {
                        out.text(v.toString());
                    }
                }
                case JSONB -> out.lengthPrefixed(v.toString().getBytes(StandardCharsets.UTF_8), 1);
                case BYTEA -> out.lengthPrefixed(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8), -1);
            }
        }
        if (extra != null) {
            out.int32(8);
            out.int64(extra);
        }
    }

    /** PostgreSQL's numeric_send layout: base-10000 digits, weight of the first, sign, display scale. */
    static void numeric(BigDecimal d, ByteSink out) {
        int dscale = Math.max(d.scale(), 0);
        String plain = d.abs().toPlainString();
        int dot = plain.indexOf('.');
        String ip = dot < 0 ? plain : plain.substring(0, dot);
        String fp = dot < 0 ? "" : plain.substring(dot + 1);
        ip = "0".repeat((4 - ip.length() % 4) % 4) + ip;
        fp = fp + "0".repeat((4 - fp.length() % 4) % 4);
        int groups = (ip.length() + fp.length()) / 4;
        short[] digits = new short[groups];
        String all = ip + fp;
        for (int g = 0; g < groups; g++) {
            digits[g] = Short.parseShort(all.substring(g * 4, g * 4 + 4));
        }
        int weight = ip.length() / 4 - 1;
        int first = 0;
        while (first < groups && digits[first] == 0) {
            first++;
            weight--;
        }
        int last = groups;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int n = last - first;
        if (n == 0) {
            weight = 0;
        }
        out.int32(8 + 2 * n);
        out.int16(n);
        out.int16(weight);
        out.int16(d.signum() < 0 && n > 0 ? 0x4000 : 0);
        out.int16(dscale);
        for (int g = first; g < last; g++) {
            out.int16(digits[g]);
        }
    }
}
