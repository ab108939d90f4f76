package dev.ferry.core.db;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated, \N for NULL, with
 * backslash, tab, newline and carriage return escaped.
 */
public final class CopyRowWriter {

    private final Writer out;
    private boolean firstInRow = true;

    public CopyRowWriter(Writer out) {
        this.out = out;
    }

    public CopyRowWriter text(String v) throws IOException {
        sep();
        if (v == null) {
            out.write("\\N");
            return this;
        }
        int n = v.length();
        int plainUpTo = 0;
        for (int i = 0; i < n; i++) {
            String escaped = switch (v.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                out.write(v, plainUpTo, i - plainUpTo);
                out.write(escaped);
                plainUpTo = i + 1;
            }
        }
        out.write(v, plainUpTo, n - plainUpTo);
        return this;
    }

    public CopyRowWriter number(BigDecimal v) throws IOException {
        return raw(v == null ? null : v.toPlainString());
    }

    public CopyRowWriter number(long v) throws IOException {
        return raw(Long.toString(v));
    }

    public CopyRowWriter time(Instant v) throws IOException {
        if (v == null || v.getEpochSecond() < 0 || v.getEpochSecond() >= LAST_FOUR_DIGIT_YEAR_END) {
            return raw(v == null ? null : v.toString());
        }
        sep();
        writeInstant(v);
        return this;
    }

    /** 10000-01-01T00:00:00Z: from there on Instant.toString prints a sign and more digits. */
    private static final long LAST_FOUR_DIGIT_YEAR_END = 253_402_300_800L;

    private final char[] scratch = new char[30];

    /**
     * The text Instant.toString gives (ISO-8601 in UTC, fraction in groups of three digits as needed), made
     * without DateTimeFormatter, whose parsing of its own pattern per value was most of a bulk load's time
     * formatting; years 1970 to 9999 only, the caller leaves the rest to toString.
     */
    private void writeInstant(Instant v) throws IOException {
        long secs = v.getEpochSecond();
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(secs, 86_400));
        int sod = (int) Math.floorMod(secs, 86_400);
        char[] c = scratch;
        digits(c, 0, d.getYear(), 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, sod / 3600, 2);
        c[13] = ':';
        digits(c, 14, sod / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, sod % 60, 2);
        int n = 19;
        int nanos = v.getNano();
        if (nanos != 0) {
            c[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(c, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1000 == 0) {
                digits(c, n, nanos / 1000, 6);
                n += 6;
            } else {
                digits(c, n, nanos, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        out.write(c, 0, n);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public CopyRowWriter bool(boolean v) throws IOException {
        return raw(v ? "t" : "f");
    }

    /** A value known to need no escaping. */
    private CopyRowWriter raw(String v) throws IOException {
        sep();
        out.write(v == null ? "\\N" : v);
        return this;
    }

    public void endRow() throws IOException {
        out.write('\n');
        firstInRow = true;
    }

    private void sep() throws IOException {
        if (!firstInRow) {
            out.write('\t');
        }
        firstInRow = false;
    }
}
