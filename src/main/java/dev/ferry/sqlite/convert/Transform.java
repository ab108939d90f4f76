package dev.ferry.sqlite.convert;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The named transforms a cast rule can ask for ("using epoch"). Each reads a SQLite
 * value of any storage class (SQLite lets 'abc' sit in an INTEGER column) and returns
 * the Java value its target column gets, or refuses it with a {@link CastException}.
 * Values: Long, Double, BigDecimal, Boolean, LocalDate, Instant, String, byte[].
 */
public enum Transform {
    INTEGER, DOUBLE, NUMERIC, TEXT, DATE, TIMESTAMPTZ, EPOCH, FLAG, JSON, BYTES;

    // 2025-10-28, 2025-10-28 09:15, 2025-10-28T09:15:00.123456, each with an optional Z, +05:30, +0530 or +05
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            // STRICT: 2025-02-30 is refused, never read as 2025-02-28 (the builder's default would do that)
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    /** A rule's "using NAME", case-insensitive. */
    public static Transform named(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown transform '" + name + "' (known: integer, double, numeric, text, date, "
                    + "timestamptz, epoch, flag, json, bytes)");
        }
    }

    /** The transform a target type implies when a rule names none. */
    public static Transform defaultFor(TargetKind kind) {
        return switch (kind) {
            case INTEGER -> INTEGER;
            case DOUBLE, REAL -> DOUBLE;
            case NUMERIC -> NUMERIC;
            case BOOLEAN -> FLAG;
            case DATE -> DATE;
            case TIMESTAMPTZ, TIMESTAMP -> TIMESTAMPTZ;
            case JSONB -> JSON;
            case BYTEA -> BYTES;
            case TEXT -> TEXT;
        };
    }

    /** Converts one non-null value. */
    public Object apply(String column, Object v, ZoneId zone) throws CastException {
        return switch (this) {
            case INTEGER -> integer(column, v);
            case DOUBLE -> dbl(column, v);
            case NUMERIC -> numeric(column, v);
            case TEXT -> text(column, v);
            case DATE -> date(column, v, zone);
            case TIMESTAMPTZ -> v instanceof Number n ? epoch(column, n) : timestamp(column, v, zone);
            case EPOCH -> epoch(column, v instanceof Number n ? n : parseNumber(column, v));
            case FLAG -> flag(column, v);
            case JSON -> JsonbText.canonical(column, text(column, v));
            case BYTES -> v instanceof byte[] b ? b : text(column, v).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Long integer(String column, Object v) throws CastException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                return d.longValue();
            }
            throw new CastException(column, v, "not a whole number: " + d);
        }
        String s = text(column, v).strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(s).longValueExact();
            } catch (NumberFormatException | ArithmeticException e2) {
                throw new CastException(column, v, "not an integer: '" + abbreviate(s) + "'");
            }
        }
    }

    private static Double dbl(String column, Object v) throws CastException {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = text(column, v).strip();
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new CastException(column, v, "not a number: '" + abbreviate(s) + "'");
        }
    }

    private static BigDecimal numeric(String column, Object v) throws CastException {
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (v instanceof Integer i) {
            return BigDecimal.valueOf(i);
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new CastException(column, v, "not a finite number: " + d);
            }
            // the shortest decimal that is this double (0.1, not 0.1000000000000000055...); a double has no scale to keep
            BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
            return b.scale() < 0 ? b.setScale(0) : b;
        }
        String s = text(column, v).strip();
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new CastException(column, v, "not a number: '" + abbreviate(s) + "'");
        }
    }

    static String text(String column, Object v) throws CastException {
        String s;
        if (v instanceof String str) {
            s = str;
        } else if (v instanceof byte[] b) {
            s = Utf8.decode(column, b);
        } else {
            s = v.toString();
        }
        if (s.indexOf('\0') >= 0) {
            throw new CastException(column, s.replace("\0", "\\0"), "text holds a NUL character, which PostgreSQL cannot store");
        }
        return s;
    }

    private static LocalDate date(String column, Object v, ZoneId zone) throws CastException {
        if (v instanceof Number) {
            throw new CastException(column, v, "a number where a date (YYYY-MM-DD) was expected");
        }
        String s = text(column, v).strip();
        LocalDate quick = isoDate(s);
        if (quick != null) {
            return quick;
        }
        try {
            var parsed = LOCAL.parse(s);
            LocalDate d = LocalDate.from(parsed);
            if (parsed.isSupported(ChronoField.NANO_OF_DAY) && parsed.getLong(ChronoField.NANO_OF_DAY) != 0) {
                throw new CastException(column, v, "a date with a time of day: '" + abbreviate(s) + "' (cast it to timestamptz)");
            }
            return d;
        } catch (java.time.DateTimeException e) {
            throw new CastException(column, v, "not a date (YYYY-MM-DD): '" + abbreviate(s) + "'");
        }
    }

    /** YYYY-MM-DD without the formatter's cost (most dates in a store look like this); null for anything else. */
    private static LocalDate isoDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, 5, 7);
        int d = digits(s, 8, 10);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 28 && d > java.time.YearMonth.of(y, m).lengthOfMonth()) {
            return null;
        }
        return LocalDate.of(y, m, d);
    }

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Instant timestamp(String column, Object v, ZoneId zone) throws CastException {
        String s = text(column, v).strip();
        try {
            var parsed = LOCAL.parse(s);
            Instant i = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? OffsetDateTime.of(LocalDateTime.of(LocalDate.from(parsed), java.time.LocalTime.from(parsed)),
                            java.time.ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))).toInstant()
                    : LocalDateTime.of(LocalDate.from(parsed), java.time.LocalTime.from(parsed)).atZone(zone).toInstant();
            return i.truncatedTo(ChronoUnit.MICROS);
        } catch (java.time.DateTimeException e) {
            throw new CastException(column, v, "not a date and time: '" + abbreviate(s) + "'");
        }
    }

    /** Unix time in seconds; values too large for seconds in this era are taken as milliseconds. */
    private static Instant epoch(String column, Number n) throws CastException {
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new CastException(column, n, "not a Unix time: " + d);
        }
        double abs = Math.abs(n.doubleValue());
        if (n instanceof Double d) {
            long micros = Math.round(abs >= 1e11 ? d * 1_000 : d * 1_000_000);
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }
        long l = n.longValue();
        return abs >= 1e11 ? Instant.ofEpochMilli(l) : Instant.ofEpochSecond(l);
    }

    private static Number parseNumber(String column, Object v) throws CastException {
        String s = text(column, v).strip();
        try {
            return s.contains(".") || s.contains("e") || s.contains("E") ? (Number) Double.parseDouble(s) : (Number) Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new CastException(column, v, "not a Unix time: '" + abbreviate(s) + "'");
        }
    }

    private static Boolean flag(String column, Object v) throws CastException {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == 0) {
                return false;
            }
            if (d == 1) {
                return true;
            }
            throw new CastException(column, v, "not a 0/1 flag: " + v);
        }
        String s = text(column, v).strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "1", "t", "true", "y", "yes", "on" -> true;
            case "0", "f", "false", "n", "no", "off" -> false;
            default -> throw new CastException(column, v, "not a flag (0/1, true/false, yes/no): '" + abbreviate(s) + "'");
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
