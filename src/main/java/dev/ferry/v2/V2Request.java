package dev.ferry.v2;

import java.util.Locale;
import java.util.Set;

/**
 * One v2 command as every entry point asks for it (CLI, JMX, the Quartz sync): the command, the v2
 * source and v3 target (null: the configured ones), and the options of migrate and rollback.
 */
public record V2Request(String command, String source, String target, boolean dryRun, boolean createV3, Long runId, boolean all,
                        boolean withSchema, boolean force, String confirm) {

    public static final Set<String> COMMANDS = Set.of("migrate", "sync", "validate", "cutover", "rollback", "status");

    public V2Request {
        command = command == null ? "" : command.strip().toLowerCase(Locale.ROOT);
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("v2 command must be one of " + COMMANDS + ", not '" + command + "'");
        }
    }

    /** migrate, sync and cutover read v2 and load v3; validate, rollback and status do not. */
    public boolean loads() {
        return command.equals("migrate") || command.equals("sync") || command.equals("cutover");
    }
}
