package dev.ferry.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ferry's own settings, read through Camel's property placeholders so that
 * config/application.properties, -D system properties and environment variables
 * (FERRY_DB_URL for ferry.db.url, and so on) all apply in Camel's usual order.
 */
public final class FerrySettings {

    private final Function<String, Optional<String>> lookup;

    public FerrySettings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public String dbUrl() {
        return required("ferry.db.url");
    }

    public String dbUser() {
        return string("ferry.db.user", "postgres");
    }

    /**
     * The password never lives in the properties file: it comes from the
     * FERRY_DB_PASSWORD environment variable or from the file named by
     * ferry.db.password-file (FERRY_DB_PASSWORD_FILE), e.g. a mounted secret.
     */
    public Optional<String> dbPassword() {
        String fromEnv = System.getenv("FERRY_DB_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Optional.of(fromEnv);
        }
        String file = string("ferry.db.password-file", "");
        if (file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file)).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the database password file " + file + ": " + e.getMessage());
        }
    }

    public int dbPoolSize() {
        return integer("ferry.db.pool-size", 8);
    }

    /** Create/migrate the schema and close out interrupted runs when Camel starts (else at first use). */
    public boolean migrateOnStart() {
        return bool("ferry.db.migrate-on-start", true);
    }

    public boolean dbCreateIfMissing() {
        return bool("ferry.db.create-if-missing", true);
    }

    public Path inbox() {
        return path("ferry.inbox", "data/inbox");
    }

    public Path doneDir() {
        return path("ferry.done", "data/done");
    }

    public Path errorDir() {
        return path("ferry.error", "data/error");
    }

    public Path reportsDir() {
        return path("ferry.reports", "data/reports");
    }

    /** Milliseconds between scans of the inbox. */
    public long inboxPollMillis() {
        return integer("ferry.inbox.poll-ms", 100);
    }

    /** How long nothing may have written to an inbox file before it is read. */
    public long inboxWriteCompleteMillis() {
        return integer("ferry.inbox.write-complete-ms", 2000);
    }

    /** Users whose inbox files load at the same time; one user's files always load one after another. */
    public int inboxParallelUsers() {
        return integer("ferry.inbox.parallel-users", 4);
    }

    /** How long a run in flight may go on after SIGTERM before it is stopped and rolled back. */
    public long shutdownGraceMillis() {
        return integer("ferry.shutdown.grace-ms", 3000);
    }

    public ZoneId sourceZone() {
        return ZoneId.of(string("ferry.source-zone", "Asia/Kolkata"));
    }

    public boolean dryRunDefault() {
        return bool("ferry.dry-run", false);
    }

    public int progressEvery() {
        return integer("ferry.batch.progress-every", 100_000);
    }

    public int copyBatchRecords() {
        return integer("ferry.batch.copy-records", 10_000);
    }

    /** The most bytes one record of a bot file may take (records are built one at a time, as trees). */
    public int maxRecordBytes() {
        return integer("ferry.batch.max-record-bytes", 8 << 20);
    }

    public boolean batchForeignKeys() {
        return bool("ferry.batch.set-based-fk-checks", true);
    }

    public Path mappingsDir() {
        return path("ferry.mappings", "config/mappings");
    }

    public String string(String key, String fallback) {
        return lookup.apply(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    private String required(String key) {
        return lookup.apply(key).map(String::strip).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new IllegalStateException("setting " + key + " is required (config/application.properties or "
                        + key.toUpperCase().replace('.', '_').replace('-', '_') + ")"));
    }

    private int integer(String key, int fallback) {
        String v = string(key, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + key + " must be a whole number, got '" + v + "'");
        }
    }

    private boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    private Path path(String key, String fallback) {
        return Path.of(string(key, fallback)).toAbsolutePath().normalize();
    }
}
