package dev.ferry.core.db;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;

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
        return raw(v == null ? null : v.toString());
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
