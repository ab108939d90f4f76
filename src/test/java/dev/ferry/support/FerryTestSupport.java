package dev.ferry.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ferry.FerryRuntime;
import dev.ferry.core.report.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts Ferry (the same Camel Main, routes and config as the jar) against a fresh
 * database of the test class's own, with its folders in a temporary directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FerryTestSupport {

    protected TestDatabase db;
    protected FerryRuntime ferry;
    protected Path work;
    private Map<String, String> settings;

    /** Whether the inbox routes run (a watched-folder test) or only the CLI's direct routes. */
    protected boolean watch() {
        return false;
    }

    protected Map<String, String> extraSettings() {
        return Map.of();
    }

    @BeforeAll
    void startFerry() throws Exception {
        db = new TestDatabase(getClass());
        work = Files.createTempDirectory("ferry-test-");
        settings = new HashMap<>(Map.of(
                "ferry.db.url", db.url(),
                "ferry.db.user", TestDatabase.USER,
                "ferry.inbox", work.resolve("inbox").toString(),
                "ferry.done", work.resolve("done").toString(),
                "ferry.error", work.resolve("error").toString(),
                "ferry.reports", work.resolve("reports").toString(),
                "ferry.inbox.poll-ms", "100",
                "ferry.inbox.write-complete-ms", "300",
                "ferry.inbox.lock-check-ms", "100"));
        settings.putAll(extraSettings());
        ferry = FerryRuntime.start(watch(), settings);
        db.execute("INSERT INTO trading.users (id, email, name) VALUES (1, 'one@example.com', 'One'), (2, 'two@example.com', 'Two')");
    }

    /** Starts Ferry again on the same database and folders, after the test has closed it (as SIGTERM does). */
    protected void startFerryAgain() throws Exception {
        ferry = FerryRuntime.start(watch(), settings);
    }

    @AfterAll
    void stopFerry() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Writes a file under the test's work folder and returns its path. */
    protected Path file(String relative, String content) throws IOException {
        Path p = work.resolve("files").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** Runs the import route for a flow exactly as the CLI does. */
    protected RunResult importFile(String flow, Path file, long userId, boolean dryRun) {
        return ferry.template().requestBodyAndHeaders("direct:import-bot-file", null, Map.of("FerryFlow", flow,
                "FerryFile", file.toAbsolutePath().toString(), "FerryUserId", userId, "FerryDryRun", dryRun), RunResult.class);
    }

    protected RunResult importTrades(Path file, long userId, boolean dryRun) {
        return importFile("trades_history", file, userId, dryRun);
    }
}
