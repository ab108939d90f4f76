package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ferry.support.FerryProcess;
import dev.ferry.support.FerryProcess.Result;
import dev.ferry.support.Fixtures;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The packaged jar's command line, run as a separate process with settings from environment variables. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private static final String SECRET = "Sup3r-Secret-Ferry-Pw";

    private TestDatabase db;
    private Path work;
    private Map<String, String> env;

    @BeforeAll
    void setUp() throws Exception {
        db = new TestDatabase(CliIT.class);
        work = Files.createTempDirectory("ferry-cli-");
        env = new HashMap<>(Map.of(
                "FERRY_DB_URL", db.url(),
                "FERRY_DB_USER", TestDatabase.USER,
                // trust auth ignores it; it is here to prove it never reaches the output
                "FERRY_DB_PASSWORD", SECRET,
                "FERRY_REPORTS", work.resolve("reports").toString()));
        Result info = FerryProcess.run(work.resolve("p0"), env, 120, "schema", "migrate", "--project", "ferry");
        assertThat(info.exitCode()).as(info.all()).isZero();
        db.execute("INSERT INTO trading.users (id) VALUES (1)");
    }

    @AfterAll
    void tearDown() {
        db.close();
    }

    @Test
    void helpDocumentsEveryCommand() throws Exception {
        Result r = FerryProcess.run(work.resolve("help"), env, 60, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("serve", "import", "migrate", "validate", "rollback", "demo", "runs", "schema", "bench", "Exit codes");
        Result imp = FerryProcess.run(work.resolve("help-import"), env, 60, "import", "trades-history", "--help");
        assertThat(imp.stdout()).contains("--user-id", "--dry-run", "FILE");
    }

    @Test
    void importExitsZeroWhenAllLoadedAndOneWhenAnythingIsRejected() throws Exception {
        Path good = work.resolve("good/trades_history.json");
        Files.createDirectories(good.getParent());
        Files.writeString(good, Fixtures.formatsExample());

        Result first = FerryProcess.run(work.resolve("p1"), env, 120, "import", "trades-history", good.toString(), "--user-id", "1");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.stdout()).containsPattern("completed\\s+3\\s+3\\s+0\\s+0\\s+4\\s+3");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 1")).isEqualTo(4);

        Result again = FerryProcess.run(work.resolve("p2"), env, 120, "import", "trades-history", good.toString(), "--user-id", "1");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("duplicate_file");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 1")).isEqualTo(4);

        Path bad = work.resolve("bad/trades_history.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"trades\": [{\"symbol\": \"ZZ\", \"entry_price\": \"abc\", \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"}]}");
        Result rejected = FerryProcess.run(work.resolve("p3"), env, 120, "import", "trades-history", bad.toString(), "--user-id", "1");
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.stdout()).contains("rejected trades_history.json trades[0] (line 1) field entry_price: entry_price is not a number: 'abc'");

        Result unknownUser = FerryProcess.run(work.resolve("p4"), env, 120, "import", "trades-history", good.toString(), "--user-id", "404");
        assertThat(unknownUser.exitCode()).isEqualTo(1);
        assertThat(unknownUser.stdout()).contains("refused", "unknown user 404");

        Result missing = FerryProcess.run(work.resolve("p5"), env, 60, "import", "trades-history", "/nonexistent.json", "--user-id", "1");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no such file: /nonexistent.json");

        for (Result r : new Result[] {first, again, rejected, unknownUser, missing}) {
            assertThat(r.all()).doesNotContain(SECRET);
        }
    }

    @Test
    void validateExitsZeroWhenValidAndOneWithTheFieldWhenARowWasAltered() throws Exception {
        Path folder = work.resolve("bot-validate");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("trades_history.json"), Fixtures.formatsExample());
        // a user of its own: validation takes every run of this user's trades_history.json as the same source
        db.execute("INSERT INTO trading.users (id) VALUES (3)");
        Result migrate = FerryProcess.run(work.resolve("p-migrate"), env, 120, "migrate", "--data-dir", folder.toString(), "--user-id", "3");
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();

        Result valid = FerryProcess.run(work.resolve("p-valid"), env, 120, "validate", "--data-dir", folder.toString(), "--user-id", "3");
        assertThat(valid.exitCode()).as(valid.all()).isZero();
        assertThat(valid.stdout()).startsWith("VALID").contains("trades_history.json", "Report: ");

        db.execute("UPDATE trading.orders SET avg_price = 2449 WHERE symbol = 'RELIANCE' AND user_id = 3");
        Result invalid = FerryProcess.run(work.resolve("p-invalid"), env, 120, "validate", "--data-dir", folder.toString(), "--user-id", "3");
        assertThat(invalid.exitCode()).as(invalid.all()).isEqualTo(1);
        assertThat(invalid.stdout()).startsWith("INVALID").contains("avg_price source 2450, database 2449");
    }

    @Test
    void dryRunPrintsTheCountsAndWritesNothing() throws Exception {
        Path f = work.resolve("dry/trades_history.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"trades\": [{\"symbol\": \"DRY\", \"entry_price\": 5, \"qty\": 2, \"entry_time\": \"2025-10-27T09:15:00\"}]}");
        Result r = FerryProcess.run(work.resolve("dry-p"), env, 120, "import", "trades-history", f.toString(), "--user-id", "1", "--dry-run");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("dry-run completed\\s+1\\s+1\\s+0\\s+0\\s+1\\s+1");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = 'DRY'")).isZero();
    }

    @Test
    void schemaCommandsOnTheBundledProjectWithExitCodes() throws Exception {
        String project = Path.of("config/schema/trading-system").toAbsolutePath().toString();
        Result migrate = FerryProcess.run(work.resolve("s1"), env, 120, "schema", "migrate", "--project", project);
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.stdout()).contains("schema migrate trading-system: OK, version 1.1.0");
        for (String command : new String[] {"verify", "diff", "history", "status"}) {
            Result r = FerryProcess.run(work.resolve("s-" + command), env, 120, "schema", command, "--project", project);
            assertThat(r.exitCode()).as(command + ": " + r.all()).isZero();
            assertThat(r.stdout()).contains("schema " + command + " trading-system: OK");
            assertThat(r.all()).doesNotContain(SECRET);
        }
        db.execute("CREATE INDEX prices_by_volume ON public.prices (volume)");
        Result drift = FerryProcess.run(work.resolve("s2"), env, 120, "schema", "diff", "--project", project);
        assertThat(drift.exitCode()).isEqualTo(1);
        assertThat(drift.stdout()).contains("extra index public.prices_by_volume");
        Result unconfirmed = FerryProcess.run(work.resolve("s3"), env, 120, "schema", "undo", "--project", project);
        assertThat(unconfirmed.exitCode()).isEqualTo(1);
        assertThat(unconfirmed.stdout()).contains("--confirm UNDO");
        db.execute("DROP INDEX public.prices_by_volume");
        Result undo = FerryProcess.run(work.resolve("s4"), env, 120, "schema", "undo", "--project", project, "--to", "0", "--confirm", "UNDO");
        assertThat(undo.exitCode()).as(undo.all()).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
    }

    @Test
    void anUnreachableDatabaseExitsThreeWithAClearMessage() throws Exception {
        Map<String, String> down = new HashMap<>(env);
        down.put("FERRY_DB_URL", "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1");
        down.put("FERRY_RETRY_MAX_ATTEMPTS", "1");
        down.put("FERRY_RETRY_DELAY_MS", "100");
        Path f = work.resolve("down/trades_history.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, Fixtures.formatsExample());
        Result r = FerryProcess.run(work.resolve("down-p"), down, 120, "import", "trades-history", f.toString(), "--user-id", "1");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
        assertThat(r.stderr()).contains("PostgreSQL unavailable");
        assertThat(r.all()).doesNotContain(SECRET);
    }
}
