package dev.ferry.bot.validate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import dev.ferry.core.report.ValidationResult.Mismatch;
import dev.ferry.core.report.ValidationResult.Source;
import dev.ferry.core.report.ValidationResult;

/**
 * Compares the values one source record should have become with the values of the row
 * that holds it, field by field; each difference becomes a mismatch that shows both. Numbers
 * compare by value (2450.0 equals 2450), times as instants.
 */
final class FieldComparison {

    private final ValidationResult result;
    private final Source source;
    private final String record;
    private final String row;
    private boolean differs;

    FieldComparison(ValidationResult result, Source source, String record, String row) {
        this.result = result;
        this.source = source;
        this.record = record;
        this.row = row;
    }

    FieldComparison field(String name, Object expected, Object actual) {
        if (!same(expected, actual)) {
            differs = true;
            result.mismatch(source, new Mismatch(source.getName(), record, row, name, show(expected), show(actual)));
        }
        return this;
    }

    boolean differs() {
        return differs;
    }

    static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    static String show(Object v) {
        if (v == null) {
            return "(none)";
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return v.toString();
    }
}
