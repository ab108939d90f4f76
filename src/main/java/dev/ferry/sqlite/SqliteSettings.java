package dev.ferry.sqlite;

import java.time.ZoneId;

import dev.ferry.settings.FerrySettings;

/** The ferry.sqlite.* settings (config/application.properties documents each). */
public record SqliteSettings(String targetSchema, String conflict, int batchRows, int queueBatches, int parallelTables,
                             double maxRejectRatio, int readersPerTable, ZoneId zone, double estimateRowsPerSecond, boolean copyViews, int keepRejects,
                             boolean pageReader, java.nio.file.Path snapshotDir) {

    public static SqliteSettings of(FerrySettings s) {
        return new SqliteSettings(
                s.string("ferry.sqlite.target-schema", "public"),
                s.string("ferry.sqlite.conflict", "skip"),
                Integer.parseInt(s.string("ferry.sqlite.batch-rows", "50000")),
                Integer.parseInt(s.string("ferry.sqlite.queue-batches", "3")),
                Integer.parseInt(s.string("ferry.sqlite.parallel-tables", "2")),
                Double.parseDouble(s.string("ferry.sqlite.max-reject-ratio", "0.01")),
                Integer.parseInt(s.string("ferry.sqlite.readers-per-table", "2")),
                ZoneId.of(s.string("ferry.sqlite.source-zone", "UTC")),
                Double.parseDouble(s.string("ferry.sqlite.estimate-rows-per-second", "150000")),
                Boolean.parseBoolean(s.string("ferry.sqlite.copy-views", "false")),
                Integer.parseInt(s.string("ferry.sqlite.keep-rejects", "20")),
                Boolean.parseBoolean(s.string("ferry.sqlite.page-reader", "true")),
                java.nio.file.Path.of(s.string("ferry.sqlite.snapshot-dir", "").isBlank() ? System.getProperty("java.io.tmpdir")
                        : s.string("ferry.sqlite.snapshot-dir", "")));
    }
}
