package dev.ferry.core.schema.project;

/**
 * One statement of a script.
 *
 * @param sql                the statement's text, trimmed, without its closing semicolon
 * @param line               1-based line in its file of the statement's first character that is
 *                           neither blank nor comment, so errors point at the statement itself
 * @param outsideTransaction PostgreSQL refuses the statement inside a transaction block
 *                           (CREATE INDEX CONCURRENTLY, VACUUM, ...), so it cannot share the
 *                           version's transaction
 */
public record SqlStatement(String sql, int line, boolean outsideTransaction) {
}
