package dev.ferry.sqlite.convert;

import java.time.ZoneId;
import java.util.List;

/**
 * One source row (values as SQLite returned them, any storage class) to the target
 * row's converted values, in plan order. A fill-in replaces a NULL before the
 * conversion; a NULL left in a NOT NULL column rejects the row here, before PostgreSQL
 * would fail the whole batch on it.
 */
public final class RowConverter {

    private final ColumnPlan[] columns;
    private final ZoneId zone;

    public RowConverter(List<ColumnPlan> columns, ZoneId zone) {
        this.columns = columns.toArray(new ColumnPlan[0]);
        this.zone = zone;
    }

    public Object[] convert(Object[] raw) throws CastException {
        Object[] out = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            ColumnPlan c = columns[i];
            Object v = c.sourceIndex() < 0 ? null : raw[c.sourceIndex()];
            if (v == null && c.fill() != null) {
                v = c.fill();
            }
            if (v == null) {
                if (c.notNull()) {
                    throw new CastException(c.sourceName(), null, "NULL in NOT NULL column " + c.targetName());
                }
                continue;
            }
            out[i] = c.transform().apply(c.sourceName(), v, zone);
        }
        return out;
    }

    /** Appends the converted row as one COPY text line (without the newline). */
    public void copyLine(Object[] converted, StringBuilder out) {
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            ValueFormat.copy(columns[i].kind(), converted[i], out);
        }
    }

    public ColumnPlan[] columns() {
        return columns;
    }
}
