package dev.ferry.core.schema.project;

/**
 * One version folder: its scripts and the checksum of what applying it runs (up.sql and the
 * backfill), so an applied version whose files were edited afterwards shows as drift. Editing
 * down.sql or verify.sql is not drift: they were not what was applied.
 */
public record ProjectVersion(Version version, String description, String folder, SqlScript up, SqlScript down,
                             SqlScript verify, Backfill backfill, String checksum) {
}
