package dev.ferry.v2.transform;

import java.util.ArrayList;
import java.util.List;

/**
 * What one v2 row became: its v3 rows, or the reason it was rejected (table, v2 id, column,
 * value, reason), plus warnings about values kept in another form.
 */
public final class Mapped {

    public record Problem(String column, String value, String reason) {
    }

    private final String v2Table;
    private final long v2Id;
    private final long rowHash;
    private final List<V3Row> rows = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private Problem rejected;

    public Mapped(String v2Table, long v2Id, long rowHash) {
        this.v2Table = v2Table;
        this.v2Id = v2Id;
        this.rowHash = rowHash;
    }

    public Mapped reject(String column, Object value, String reason) {
        if (rejected == null) {
            rejected = new Problem(column, value == null ? null : value.toString(), reason);
            rows.clear();
        }
        return this;
    }

    public void warn(String column, Object value, String reason) {
        warnings.add(new Problem(column, value == null ? null : value.toString(), reason));
    }

    public V3Row add(V3Row row) {
        rows.add(row);
        return row;
    }

    public boolean isRejected() { return rejected != null; }
    public Problem rejected() { return rejected; }
    public List<Problem> warnings() { return warnings; }
    public List<V3Row> rows() { return rows; }
    public String v2Table() { return v2Table; }
    public long v2Id() { return v2Id; }
    public long rowHash() { return rowHash; }

    /** The row for a v3 table, if this v2 row made one. */
    public V3Row row(String table) {
        for (V3Row r : rows) {
            if (r.table().equals(table)) {
                return r;
            }
        }
        return null;
    }
}
