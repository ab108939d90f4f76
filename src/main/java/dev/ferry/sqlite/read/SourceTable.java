package dev.ferry.sqlite.read;

import java.util.List;

/**
 * One table (or view) of the SQLite file. {@code hasRowid} is false for WITHOUT ROWID
 * tables and views, which are then read in primary-key order and resumed by row count.
 */
public record SourceTable(String name, boolean view, boolean hasRowid, List<SourceColumn> columns, List<String> primaryKey,
                          List<SourceIndex> indexes, List<SourceForeignKey> foreignKeys, List<String> warnings) {

    public SourceColumn column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table " + this.name + " has no column " + name));
    }

    /** The integer primary key that is SQLite's rowid under another name, if any. */
    public boolean rowidAlias() {
        return primaryKey.size() == 1 && hasRowid && column(primaryKey.get(0)).declaredType().equalsIgnoreCase("integer");
    }
}
