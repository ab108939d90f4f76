package dev.ferry.sqlite.read;

import java.util.List;

/** A foreign key of a source table; an empty parent column list means the parent's primary key. */
public record SourceForeignKey(List<String> columns, String parentTable, List<String> parentColumns) {
}
