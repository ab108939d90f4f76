package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The common value rules of formats.md: numbers as JSON numbers or (money)
 * strings, ISO-8601 times with or without an offset, symbols without exchange
 * suffixes. Every failure names the field and the value.
 */
public final class Values {

    private static final Pattern CURRENCY = Pattern.compile("^(?i)(rs\\.?|inr|₹|\\$|usd)\\s*");
    // 2,450.00 and the Indian grouping 1,00,000.50; any other comma (12,34 could be a decimal comma) is refused
    private static final Pattern GROUPED = Pattern.compile("^[+-]?(\\d{1,3}(,\\d{3})+|\\d{1,2}(,\\d{2})*,\\d{3})(\\.\\d+)?$");
    private static final Pattern PLAIN = Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$");
    private static final DateTimeFormatter NAIVE = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            // STRICT: 2025-02-30 is refused, never read as 2025-02-28 (the builder's default would do that)
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    /** Digits before and after the point that a trading amount can have; beyond is a broken value, not money. */
    static final int MAX_INTEGER_DIGITS = 30;
    static final int MAX_FRACTION_DIGITS = 20;
    /** A symbol longer than this is not a ticker (and would not fit PostgreSQL's index rows). */
    static final int MAX_SYMBOL = 64;
    /** Longer than any broker's order id; keeps a broken value from failing the file in the unique index. */
    static final int MAX_ID = 128;

    private final ZoneId sourceZone;
    private final List<String> symbolSuffixes;

    public Values(ZoneId sourceZone, List<String> symbolSuffixes) {
        this.sourceZone = sourceZone;
        this.symbolSuffixes = symbolSuffixes.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    }

    public static boolean absent(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.asText().isBlank());
    }

    /** A required number; money strings such as "Rs 2,450.00" and "+120.5" are read too. */
    public BigDecimal number(JsonNode record, String field) throws BadValueException {
        JsonNode n = record.get(field);
        if (absent(n)) {
            throw new BadValueException(field, "missing " + field);
        }
        return toNumber(n, field);
    }

    /** An optional number: null when absent, rejected when present but not a number. */
    public BigDecimal optionalNumber(JsonNode record, String field) throws BadValueException {
        JsonNode n = record.get(field);
        return absent(n) ? null : toNumber(n, field);
    }

    /** An order's limit price: the bot writes 0 for "none" (a market order), which becomes null. */
    public BigDecimal limitPrice(JsonNode record, String field) throws BadValueException {
        BigDecimal v = optionalNumber(record, field);
        return v == null || v.signum() == 0 ? null : v;
    }

    public BigDecimal positive(JsonNode record, String field) throws BadValueException {
        BigDecimal v = number(record, field);
        if (v.signum() <= 0) {
            throw new BadValueException(field, field + " must be greater than 0, got " + v.toPlainString());
        }
        return v;
    }

    private static BigDecimal toNumber(JsonNode n, String field) throws BadValueException {
        if (n.isNumber()) {
            if (n.isDouble() || n.isFloat()) {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new BadValueException(field, field + " is not a finite number");
                }
            }
            return inRange(n.decimalValue(), field, n.asText());
        }
        if (!n.isTextual()) {
            throw new BadValueException(field, field + " is not a number: " + n);
        }
        String raw = n.asText();
        String s = CURRENCY.matcher(raw.strip()).replaceFirst("").strip();
        if (GROUPED.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        if (!PLAIN.matcher(s).matches()) {
            throw new BadValueException(field, field + " is not a number: '" + raw + "'");
        }
        return inRange(new BigDecimal(s.startsWith("+") ? s.substring(1) : s), field, raw);
    }

    /**
     * The number, or a rejection when it has more digits than any amount (1e999999 would fail the
     * whole file in PostgreSQL, 1e999999999 would exhaust memory when written out); judged from
     * precision and scale, without expanding it.
     */
    private static BigDecimal inRange(BigDecimal v, String field, String raw) throws BadValueException {
        if (v.signum() == 0) {
            return v;
        }
        BigDecimal t = v.stripTrailingZeros();
        long integerDigits = (long) t.precision() - t.scale();
        if (integerDigits > MAX_INTEGER_DIGITS || t.scale() > MAX_FRACTION_DIGITS) {
            String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
            throw new BadValueException(field, field + " is out of range: '" + shown + "' has more than " + MAX_INTEGER_DIGITS
                    + " digits before the point or " + MAX_FRACTION_DIGITS + " after it");
        }
        return v;
    }

    /** A required time; a time without an offset is read in the configured source zone. */
    public Instant time(JsonNode record, String field) throws BadValueException {
        JsonNode n = record.get(field);
        if (absent(n)) {
            throw new BadValueException(field, "missing " + field);
        }
        return toTime(n, field);
    }

    public Instant optionalTime(JsonNode record, String field) throws BadValueException {
        JsonNode n = record.get(field);
        return absent(n) ? null : toTime(n, field);
    }

    /**
     * The file's last_run, which only stands in for failed orders without a time of their own:
     * missing or unreadable, it is null, and those orders are rejected instead.
     */
    public Instant lastRun(JsonNode n) {
        if (absent(n)) {
            return null;
        }
        try {
            return toTime(n, "last_run");
        } catch (BadValueException e) {
            return null;
        }
    }

    public Instant toTime(JsonNode n, String field) throws BadValueException {
        if (!n.isTextual()) {
            throw new BadValueException(field, field + " is not an ISO-8601 time: " + n);
        }
        String s = n.asText().strip();
        try {
            if (hasOffset(s)) {
                return OffsetDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            return LocalDateTime.parse(s, NAIVE).atZone(sourceZone).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadValueException(field, field + " is not an ISO-8601 time: '" + s + "'");
        }
    }

    /** Z, or +hh, +hhmm, +hh:mm (or -) after the time part; the date's own dashes come earlier. */
    private static boolean hasOffset(String s) {
        int n = s.length();
        if (n <= 10) {
            return false;
        }
        char last = s.charAt(n - 1);
        if (last == 'Z' || last == 'z') {
            return true;
        }
        for (int back : new int[] {3, 5, 6}) {
            int i = n - back;
            if (i > 10 && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                return true;
            }
        }
        return false;
    }

    /** Removes the configured exchange suffixes: RELIANCE-EQ and RELIANCE.NS both become RELIANCE. */
    public String cleanSymbol(String raw) {
        String s = raw.strip();
        boolean changed = true;
        while (changed) {
            changed = false;
            String upper = s.toUpperCase(Locale.ROOT);
            for (String suffix : symbolSuffixes) {
                if (upper.endsWith(suffix) && upper.length() > suffix.length()) {
                    s = s.substring(0, s.length() - suffix.length());
                    changed = true;
                    break;
                }
            }
        }
        return s;
    }

    /** The first of the given fields that holds text, cleaned; rejected when none does. */
    public String symbol(JsonNode record, String... fields) throws BadValueException {
        for (String f : fields) {
            JsonNode n = record.get(f);
            if (!absent(n)) {
                if (!n.isTextual()) {
                    throw new BadValueException(f, f + " is not text: " + n);
                }
                String cleaned = cleanSymbol(n.asText());
                if (cleaned.length() > MAX_SYMBOL) {
                    throw new BadValueException(f, f + " is " + cleaned.length() + " characters long, more than a symbol's " + MAX_SYMBOL
                            + ": '" + cleaned.substring(0, 20) + "…'");
                }
                if (!cleaned.isEmpty()) {
                    return cleaned;
                }
            }
        }
        throw new BadValueException(fields[0], "missing symbol (" + String.join(" or ", fields) + ")");
    }

    /** An order id as the record gives it, or a rejection naming the field when it is longer than any broker's. */
    public static String id(String value, String field) throws BadValueException {
        if (value != null && value.length() > MAX_ID) {
            throw new BadValueException(field, field + " is " + value.length() + " characters long, more than an order id's " + MAX_ID
                    + ": '" + value.substring(0, 20) + "…'");
        }
        return value;
    }

    /** Canonical text of a number for dedup keys: 2450, 2450.0 and "Rs 2,450.00" are one key. */
    public static String keyOf(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }
}
