package dev.ferry.sqlite.convert;

import java.util.Locale;

/**
 * How a target column's values are written (COPY text) and compared (the hash both
 * sides of the validation compute, and the canonical text a mismatch is shown in). The
 * SQL expressions give PostgreSQL's side of the same hash and text, so a checksum
 * computed there equals the one computed here from the converted values.
 */
public enum TargetKind {
    INTEGER, DOUBLE, REAL, NUMERIC, BOOLEAN, DATE, TIMESTAMPTZ, TIMESTAMP, TEXT, JSONB, BYTEA;

    /** The kind of a PostgreSQL type as format_type() or a cast rule names it. */
    public static TargetKind of(String pgType) {
        String t = pgType.toLowerCase(Locale.ROOT).strip();
        if (t.equals("bigint") || t.equals("integer") || t.equals("smallint") || t.startsWith("int")) {
            return INTEGER;
        }
        if (t.equals("double precision") || t.equals("float8")) {
            return DOUBLE;
        }
        if (t.equals("real") || t.equals("float4")) {
            return REAL;
        }
        if (t.startsWith("numeric") || t.startsWith("decimal")) {
            return NUMERIC;
        }
        if (t.equals("boolean") || t.equals("bool")) {
            return BOOLEAN;
        }
        if (t.equals("date")) {
            return DATE;
        }
        if (t.equals("timestamptz") || t.startsWith("timestamp with time zone") || t.matches("timestamp\\(\\d\\) with time zone")) {
            return TIMESTAMPTZ;
        }
        if (t.startsWith("timestamp")) {
            return TIMESTAMP;
        }
        if (t.equals("jsonb") || t.equals("json")) {
            return JSONB;
        }
        if (t.equals("bytea")) {
            return BYTEA;
        }
        return TEXT;
    }

    /**
     * PostgreSQL's 64-bit hash of column {@code col} (already quoted) with {@code seed}, NULL stays
     * NULL; RowHasher computes the same from the converted value. Numbers, flags and times use the
     * server's own hash functions of their binary value; the rest hash their canonical text.
     */
    public String hashSql(String col, int seed) {
        return switch (this) {
            case INTEGER -> "hashint8extended((" + col + ")::bigint, " + seed + ")";
            case DOUBLE, REAL -> "hashfloat8extended((" + col + ")::float8, " + seed + ")";
            case BOOLEAN -> "hashint4extended((" + col + ")::int, " + seed + ")";
            // timestamptz has no hash function of its own; in UTC its value is the timestamp's
            case TIMESTAMPTZ -> "timestamp_hash_extended((" + col + ")::timestamptz AT TIME ZONE 'UTC', " + seed + ")";
            case TIMESTAMP -> "timestamp_hash_extended((" + col + ")::timestamp, " + seed + ")";
            // pgjdbc holds every session to DateStyle ISO: YYYY-MM-DD
            case DATE -> "hashtextextended((" + col + ")::date::text, " + seed + ")";
            default -> "hashtextextended(" + canonicalSql(col) + ", " + seed + ")";
        };
    }

    /** PostgreSQL's canonical text of column {@code col} (already quoted), NULL stays NULL. */
    public String canonicalSql(String col) {
        return switch (this) {
            case INTEGER, TEXT -> col + "::text";
            case DOUBLE -> "encode(float8send(" + col + "), 'hex')";
            case REAL -> "encode(float4send(" + col + "), 'hex')";
            case NUMERIC -> "trim_scale(" + col + ")::text";
            case BOOLEAN -> "CASE WHEN " + col + " THEN 't' ELSE 'f' END";
            case DATE -> "to_char(" + col + ", 'YYYY-MM-DD')";
            case TIMESTAMPTZ, TIMESTAMP -> "(extract(epoch FROM " + col + ") * 1000000)::bigint::text";
            case JSONB -> col + "::jsonb::text";
            case BYTEA -> "encode(" + col + ", 'hex')";
        };
    }
}
