package dev.ferry.core.report;

/** One source record that could not be loaded, with where it was and why. */
public record RejectedRecord(String sourceFile, int recordNo, String recordPath, Integer line, String field, String reason, String raw) {
}
