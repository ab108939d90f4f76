package dev.ferry.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SQLite input of the malformed-input corpus (corpus/sqlite-manifest.tsv) dropped into
 * inbox/sqlite/ of a running Ferry, each followed by a valid file: each ends as the manifest says,
 * with the file (and table) named, no run left 'running', the file moved only after its run, and
 * the file after it still migrated.
 */
class SqliteInboxCorpusTest extends FerryTestSupport {

    private static final AtomicInteger AFTER = new AtomicInteger();

    @Override
    protected boolean watch() {
        return true;
    }

    static Stream<Corpus.Case> cases() {
        return Corpus.manifest("sqlite-manifest.tsv").stream();
    }

    @AfterEach
    void noRunLeftRunning() {
        assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running'")).as("runs left 'running'").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedSqliteFileEndsAsTheManifestSaysAndTheNextFileStillMigrates(Corpus.Case c) throws Exception {
        Path target = work.resolve("inbox").resolve(c.dropAs());
        String name = target.getFileName().toString();
        Path staged = work.resolve("staging").resolve(name);
        Files.createDirectories(staged.getParent());
        Connection lock = null;
        if (c.generated()) {
            lock = generate(c.input(), staged);
        } else {
            Files.write(staged, Corpus.bytes(c.input()));
        }
        int n = AFTER.incrementAndGet();
        Path afterStaged = SqliteFixture.create(work.resolve("staging/after-" + n + ".db"),
                "CREATE TABLE after_" + n + " (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO after_" + n + " VALUES (1, 'kept')");
        try {
            Corpus.moveIn(staged, target, 10);
            Corpus.moveIn(afterStaged, work.resolve("inbox/sqlite/after-" + n + ".db"), 9);
            Corpus.awaitGone(target);
            Corpus.awaitGone(work.resolve("inbox/sqlite/after-" + n + ".db"));
        } finally {
            if (lock != null) {
                lock.close();
            }
        }

        String status = db.text("SELECT string_agg(status, ',' ORDER BY id) FROM ferry.runs WHERE flow = 'sqlite' AND source_file LIKE '%" + name + "'");
        String message = db.text("SELECT message FROM ferry.runs WHERE flow = 'sqlite' AND source_file LIKE '%" + name + "' ORDER BY id DESC LIMIT 1");
        assertThat(status).as("runs of %s (message: %s)", name, message).isEqualTo(c.status());
        for (String fragment : c.message()) {
            assertThat(message).as("message of %s", name).contains(fragment);
        }
        assertThat(message == null ? "" : message).doesNotContain("Exception:").doesNotContain("\tat ");
        assertThat(db.count("SELECT loaded FROM ferry.runs WHERE flow = 'sqlite' AND source_file LIKE '%" + name + "' ORDER BY id DESC LIMIT 1"))
                .as("rows loaded").isEqualTo(c.loaded());
        boolean accepted = c.status().startsWith("completed");
        assertThat(work.resolve(accepted ? "done" : "error").resolve(c.dropAs())).as("%s moved after its run", name).exists();
        long runId = db.count("SELECT max(id) FROM ferry.runs WHERE flow = 'sqlite' AND source_file LIKE '%" + name + "'");
        assertThat(work.resolve("reports/run-" + runId + ".json")).as("the run's report").exists();

        switch (c.name()) {
            case "sq-corrupted-page" -> assertThat(db.count("SELECT count(*) FROM public.cp_fine")).as("the undamaged table still loads").isEqualTo(2);
            case "sq-injection-table-name" -> {
                assertThat(db.count("SELECT count(*) FROM public.\"x\"\"; drop table y; --\"")).isEqualTo(2);
                assertThat(db.count("SELECT count(*) FROM public.y")).as("y is still there, with its rows").isEqualTo(3);
            }
            case "sq-injection-column-name" -> {
                assertThat(db.text("SELECT string_agg(\"a\"\"); drop table y2; --\", ',' ORDER BY id) FROM public.inj_col")).isEqualTo("one,two");
                assertThat(db.count("SELECT count(*) FROM public.y2")).isZero();
            }
            default -> {
                // nothing more than the run's own end
            }
        }
        assertThat(db.text("SELECT status FROM ferry.runs WHERE flow = 'sqlite' AND source_file LIKE '%after-" + n + ".db' ORDER BY id DESC LIMIT 1"))
                .as("the file dropped after it").isEqualTo("completed");
        assertThat(db.count("SELECT count(*) FROM public.after_" + n)).isEqualTo(1);
    }



    /** Builds a damaged or hostile SQLite input; returns the connection that holds it locked, if the case is a lock. */
    private static Connection generate(String input, Path file) throws Exception {
        switch (input) {
            case "gen:zero-byte" -> Files.write(file, new byte[0]);
            case "gen:header-only" -> {
                manyPages(file, "ho_rows");
                Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 100));
            }
            case "gen:truncated" -> {
                manyPages(file, "tr_rows");
                byte[] all = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(all, all.length / 2));
            }
            case "gen:corrupted-page" -> {
                SqliteFixture.create(file, "PRAGMA page_size = 1024",
                        "CREATE TABLE cp_fine (id INTEGER PRIMARY KEY, a TEXT)", "INSERT INTO cp_fine VALUES (1, 'kept'), (2, 'also kept')",
                        "CREATE TABLE cp_hurt (id INTEGER PRIMARY KEY, a TEXT)",
                        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000) INSERT INTO cp_hurt SELECT i, printf('%.*c', 40, 'h') FROM k");
                SqliteFixture.damageRootPage(file, "cp_hurt", 1024);
            }
            case "gen:corrupted-header" -> {
                manyPages(file, "ch_rows");
                SqliteFixture.overwrite(file, 0, 16);
            }
            case "gen:encrypted" -> {
                // an encrypted database (SQLCipher and the like) is random bytes from its first byte on
                byte[] b = new byte[16 * 1024];
                new Random(13).nextBytes(b);
                Files.write(file, b);
            }
            case "gen:locked" -> {
                SqliteFixture.create(file, "CREATE TABLE lk_rows (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO lk_rows VALUES (1, 'a')");
                // another process's connection in exclusive locking mode keeps its lock after its first write, until it closes
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA locking_mode = EXCLUSIVE");
                    st.execute("INSERT INTO lk_rows VALUES (2, 'b')");
                }
                return c;
            }
            case "gen:injection-table" -> SqliteFixture.create(file,
                    "CREATE TABLE y (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO y VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                    "CREATE TABLE \"x\"\"; drop table y; --\" (id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO \"x\"\"; drop table y; --\" VALUES (1, 'one'), (2, 'two')");
            case "gen:injection-column" -> SqliteFixture.create(file,
                    "CREATE TABLE y2 (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE inj_col (id INTEGER PRIMARY KEY, \"a\"\"); drop table y2; --\" TEXT)",
                    "INSERT INTO inj_col VALUES (1, 'one'), (2, 'two')");
            default -> throw new IllegalArgumentException("no generator for " + input);
        }
        return null;
    }

    /** A store of several pages (1 KB each), so that half of it ends inside a table. */
    private static void manyPages(Path file, String table) {
        SqliteFixture.create(file, "PRAGMA page_size = 1024", "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT)",
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 2000) INSERT INTO " + table + " SELECT i, printf('%.*c', 40, 'r') FROM k");
    }
}
