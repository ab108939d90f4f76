package dev.ferry.sqlite.read;

import java.util.List;

/** A plain-column index of a source table (expression and partial indexes are left out: see the table's warnings). */
public record SourceIndex(String name, boolean unique, List<String> columns) {
}
