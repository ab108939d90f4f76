package dev.ferry.sqlite.read;

/** A column as SQLite declares it: the declared type is free text there ("int(5)", "double precision", or nothing). */
public record SourceColumn(String name, String declaredType, boolean notNull, int pkPosition) {
}
