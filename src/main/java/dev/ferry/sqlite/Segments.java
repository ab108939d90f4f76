package dev.ferry.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.sqlite.read.SourceTable;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.write.TableCounts;

/**
 * Splits a table's rowid range into equal segments, each read by its own thread and
 * checkpointed on its own; only tables of several batches are split. The bounds are
 * saved with the run, so a resumed run reads the same segments.
 */
final class Segments {

    private Segments() {
    }

    static void split(Connection sqlite, SourceTable t, TableCounts counts, long rows, int readers, int batchRows) throws SQLException {
        long from = counts.highest();
        if (readers <= 1 || rows < 4L * batchRows) {
            return;
        }
        long min;
        long max;
        try (Statement st = sqlite.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(rowid), max(rowid) FROM " + SqliteSource.quote(t.name()))) {
            rs.next();
            min = rs.getLong(1);
            max = rs.getLong(2);
        }
        long lo = Math.max(min - 1, from);
        if (max <= lo) {
            return;
        }
        long[] ends = new long[readers];
        long[] checkpoints = new long[readers];
        long span = max - lo;
        for (int i = 0; i < readers; i++) {
            checkpoints[i] = lo + span * i / readers;
            ends[i] = i == readers - 1 ? Long.MAX_VALUE : lo + span * (i + 1) / readers;
        }
        counts.ends = ends;
        counts.checkpoints = checkpoints;
    }
}
