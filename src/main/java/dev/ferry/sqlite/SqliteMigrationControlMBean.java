package dev.ferry.sqlite;

/** The JMX operations of the SQLite migration (JConsole: dev.ferry:type=SqliteMigration). */
public interface SqliteMigrationControlMBean {

    /** Migrates a SQLite file; empty arguments take the defaults. Returns the summary the CLI prints. */
    String migrate(String file, String tables, String targetSchema, String conflict, boolean dryRun);

    /** Compares a SQLite file with the target (counts, checksums, foreign keys). */
    String validate(String file, String tables, String targetSchema);

    /** Continues the interrupted run of a file after its last committed batch. */
    String resume(String file, String targetSchema);
}
