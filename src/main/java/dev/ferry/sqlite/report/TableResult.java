package dev.ferry.sqlite.report;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.sqlite.write.RejectRow;

/** One table of a migration: where it went and what happened to its rows. */
public final class TableResult {
    public String table;
    public String target;
    public boolean created;
    public boolean view;
    public String status = "pending";
    public long sourceRows;
    public long read;
    public long loaded;
    public long updated;
    public long skipped;
    public long rejected;
    /** Reading, converting and writing the rows (what rows/s is measured on). */
    public double seconds;
    /** Building the primary key and indexes afterwards, for a table Ferry created. */
    public double indexSeconds;
    public String message;
    /** How the rows were read: "pages" (from the file's b-tree pages) or "SQLite (why)" through sqlite-jdbc. */
    public String reader;
    /** For a dry run: the CREATE TABLE it would run, and the columns' types with the rule that chose each. */
    public String ddl;
    public final List<String> columns = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    public final List<RejectRow> firstRejects = new ArrayList<>();

    public double rowsPerSecond() {
        return seconds > 0 ? read / seconds : 0;
    }

    public String getTable() { return table; }
    public String getTarget() { return target; }
    public boolean isCreated() { return created; }
    public boolean isView() { return view; }
    public String getStatus() { return status; }
    public long getSourceRows() { return sourceRows; }
    public long getRead() { return read; }
    public long getLoaded() { return loaded; }
    public long getUpdated() { return updated; }
    public long getSkipped() { return skipped; }
    public long getRejected() { return rejected; }
    public double getSeconds() { return seconds; }
    public double getIndexSeconds() { return indexSeconds; }
    public String getMessage() { return message; }
    public String getReader() { return reader; }
    public String getDdl() { return ddl; }
    public List<String> getColumns() { return columns; }
    public List<String> getNotes() { return notes; }
    public List<RejectRow> getFirstRejects() { return firstRejects; }
}
