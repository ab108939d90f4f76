package dev.ferry.schema;

/**
 * One schema command as every entry point asks for it (CLI, JMX, the inbox, the Quartz check):
 * built once from the route's headers, then handed from stage to stage.
 *
 * @param project a project folder, or {@code ferry} for Ferry's own built-in project
 * @param target  a jdbc:postgresql URL; null means Ferry's own database (FERRY_DB_URL)
 */
public record SchemaRequest(String command, String project, String target, String to, boolean dryRun, boolean rebaseline,
                            String name, String confirm) {

    public static final String UNDO_CONFIRMATION = "UNDO";

    public static SchemaRequest of(String command, String project) {
        return new SchemaRequest(command, project, null, null, false, false, null, null);
    }
}
