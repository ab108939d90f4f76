package dev.ferry.sqlite.convert;

import java.util.List;

import dev.ferry.sqlite.read.SourceTable;
import dev.ferry.sqlite.write.TargetNames;

/**
 * How one source table lands: target schema and name, its columns, whether the target
 * already exists (then the conflict strategy applies), and the key conflicts are
 * detected on (target column names; empty when the table has none).
 */
public record TablePlan(SourceTable source, String schema, String table, List<ColumnPlan> columns, boolean exists,
                        List<String> key) {

    public String qualified() {
        return TargetNames.quote(schema) + "." + TargetNames.quote(table);
    }

    public String label() {
        return source.name();
    }

    public String columnList() {
        StringBuilder sb = new StringBuilder();
        for (ColumnPlan c : columns) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(TargetNames.quote(c.targetName()));
        }
        return sb.toString();
    }
}
