package dev.ferry.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The engine against the real PostgreSQL: every command on the bundled project and on projects written here. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaEngineTest {

    private TestDatabase db;
    private SchemaEngine engine;
    private final List<String> progress = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void createDatabase() {
        db = new TestDatabase(getClass());
        engine = new SchemaEngine(new SchemaTarget(db.url(), TestDatabase.USER, null), Duration.ofSeconds(30), progress::add);
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyDatabase() {
        db.execute("DROP SCHEMA IF EXISTS ferry_schema CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void bundledProjectEndToEnd() {
        SchemaProject project = SchemaProject.load(Path.of("config/schema/trading-system"));
        SchemaResult migrated = engine.migrate(project, null, false, false);
        assertThat(migrated.getErrors()).isEmpty();
        assertThat(migrated.getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(migrated.getVersions()).extracting(SchemaResult.VersionLine::version).containsExactly("1.0.0", "1.1.0");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).isEqualTo(7);

        SchemaResult verify = engine.verify(project);
        assertThat(verify.getStatus()).isEqualTo(SchemaResult.Status.OK);
        assertThat(verify.getVersions()).extracting(SchemaResult.VersionLine::outcome).containsExactly("passed", "passed");

        SchemaResult diff = engine.diff(project);
        assertThat(diff.getDifferences()).isEmpty();
        assertThat(diff.getStatus()).isEqualTo(SchemaResult.Status.OK);

        SchemaResult undone = engine.undo(project, "1.0.0", false, false);
        assertThat(undone.getErrors()).isEmpty();
        assertThat(undone.getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'prices' AND column_name = 'adjusted_close'")).isZero();

        SchemaResult afterUndo = engine.verify(project);
        assertThat(afterUndo.getVersions()).extracting(SchemaResult.VersionLine::version, SchemaResult.VersionLine::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.0.0", "passed"), org.assertj.core.groups.Tuple.tuple("1.1.0", "failed"));
        assertThat(afterUndo.getStatus()).isEqualTo(SchemaResult.Status.OK);

        SchemaResult again = engine.migrate(project, null, false, false);
        assertThat(again.getErrors()).isEmpty();
        assertThat(again.getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(engine.history(project).getHistory()).extracting(SchemaResult.HistoryEntry::operation)
                .containsExactly("up", "up", "backfill", "down", "up", "backfill");
    }

    @Test
    void backfillFillsEveryRowInBatchesAndUndoWorksHalfDone() throws IOException {
        Path p = project("bf");
        version(p, "1.0.0__prices", "CREATE TABLE prices (id bigint PRIMARY KEY, close numeric(10,2));\n"
                + "INSERT INTO prices SELECT g, g / 10.0 FROM generate_series(1, 2500) g;", "DROP TABLE prices;", "SELECT to_regclass('prices') IS NOT NULL;");
        version(p, "1.1.0__adjusted", "ALTER TABLE prices ADD COLUMN adjusted_close numeric(10,2);", "ALTER TABLE prices DROP COLUMN adjusted_close;",
                "SELECT NOT EXISTS (SELECT 1 FROM prices WHERE adjusted_close IS NULL);");
        write(p.resolve("1.1.0__adjusted/backfill.properties"), "table=prices\nkey=id\nset=adjusted_close = close\nwhere=adjusted_close IS NULL\nbatch-size=1000\n");
        SchemaProject project = SchemaProject.load(p);
        SchemaResult r = engine.migrate(project, null, false, false);
        assertThat(r.getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM prices WHERE adjusted_close = close")).isEqualTo(2500);
        assertThat(db.text("SELECT backfill_state || ' ' || backfill_last_key || ' ' || backfill_rows FROM ferry_schema.applied WHERE version = '1.1.0'"))
                .isEqualTo("done 2500 2500");
        assertThat(db.text("SELECT detail FROM ferry_schema.history WHERE operation = 'backfill'"))
                .as("batches of 1000 in key order").isEqualTo("2500 rows of prices updated in 3 batches");

        // a crash after the second batch: the state says pending at key 2000; migrate resumes from there only
        db.execute("UPDATE prices SET adjusted_close = NULL WHERE id > 2000; UPDATE ferry_schema.applied SET backfill_state = 'pending', "
                + "backfill_last_key = '2000', backfill_rows = 2000 WHERE version = '1.1.0'");
        db.execute("UPDATE prices SET adjusted_close = -1 WHERE id = 5");
        SchemaResult resumed = engine.migrate(project, null, false, false);
        assertThat(resumed.getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM prices WHERE adjusted_close IS NULL")).isZero();
        assertThat(db.count("SELECT count(*) FROM prices WHERE adjusted_close = -1")).as("rows before the resume point are not redone").isEqualTo(1);

        db.execute("UPDATE ferry_schema.applied SET backfill_state = 'pending' WHERE version = '1.1.0'");
        SchemaResult undone = engine.undo(project, null, false, false);
        assertThat(undone.getErrors()).isEmpty();
        assertThat(undone.getCurrentVersion()).isEqualTo("1.0.0");
    }

    @Test
    void anEditedAppliedScriptIsDriftUntilRebaselined() throws IOException {
        Path p = project("drift");
        version(p, "1.0.0__t", "CREATE TABLE t (id int);", "DROP TABLE t;", "SELECT to_regclass('t') IS NOT NULL;");
        version(p, "1.1.0__u", "CREATE TABLE u (id int);", "DROP TABLE u;", "SELECT to_regclass('u') IS NOT NULL;");
        assertThat(engine.migrate(SchemaProject.load(p), "1.0.0", false, false).getErrors()).isEmpty();
        write(p.resolve("1.0.0__t/up.sql"), "CREATE TABLE t (id bigint);");
        SchemaProject edited = SchemaProject.load(p);

        SchemaResult status = engine.status(edited);
        assertThat(status.getDrift()).singleElement().asString().contains("1.0.0__t/up.sql changed after it was applied");
        SchemaResult refused = engine.migrate(edited, null, false, false);
        assertThat(refused.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(refused.getErrors().get(0)).contains("drift").contains("--rebaseline");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'u'")).isZero();
        assertThat(engine.undo(edited, null, false, false).getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 't'")).isEqualTo(1);

        SchemaResult rebaselined = engine.migrate(edited, null, false, true);
        assertThat(rebaselined.getErrors()).isEmpty();
        assertThat(rebaselined.getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(engine.status(edited).getDrift()).isEmpty();
        assertThat(engine.history(edited).getHistory()).extracting(SchemaResult.HistoryEntry::operation).contains("rebaseline");
    }

    @Test
    void aFailingVersionIsRolledBackAndItsLineRecorded() throws IOException {
        Path p = project("failing");
        version(p, "1.0.0__ok", "CREATE TABLE t (id int);", "DROP TABLE t;", "SELECT true;");
        version(p, "1.1.0__bad", "CREATE TABLE a (id int);\n\n-- the next one is wrong\nINSERT INTO a\n  VALUES (no_such_column);\n",
                "DROP TABLE a;", "SELECT to_regclass('a') IS NOT NULL;");
        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);
        assertThat(r.getStatus()).isEqualTo(SchemaResult.Status.FAILED);
        assertThat(r.getErrors().get(0)).contains("1.1.0__bad/up.sql line 5").contains("no_such_column").contains("as it was before 1.1.0");
        assertThat(r.getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'a'")).as("the version's first statement was rolled back too").isZero();
        assertThat(db.text("SELECT outcome || ' ' || error_file || ':' || error_line || ' ' || error_statement FROM ferry_schema.history "
                + "WHERE version = '1.1.0'")).isEqualTo("failed 1.1.0__bad/up.sql:5 INSERT INTO a\n  VALUES (no_such_column)");
    }

    @Test
    void anOnlineVersionCutOffPartWayIsUndoneAndAppliedAgainByTheNextMigrate() throws IOException {
        Path p = project("cutoff");
        String up = "-- ferry:online\nCREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE t ADD COLUMN v int;\nCREATE INDEX CONCURRENTLY t_v ON t (v);\n";
        version(p, "1.0.0__online", up, "-- ferry:online\nDROP INDEX CONCURRENTLY IF EXISTS t_v;\nDROP TABLE IF EXISTS t;\n",
                "SELECT to_regclass('t_v') IS NOT NULL;");
        // what a kill -9 after the second statement leaves: its statements committed, the version not recorded
        db.execute("CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN v int");

        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);

        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(r.getNotes()).anySatisfy(n -> assertThat(n).contains("1.0.0__online/up.sql line 3", "already exists",
                "cut off part-way", "undone with down.sql and applied again"));
        assertThat(db.count("SELECT count(*) FROM pg_index WHERE indexrelid = 'public.t_v'::regclass AND indisvalid")).isEqualTo(1);
        assertThat(engine.verify(SchemaProject.load(p)).getStatus()).isEqualTo(SchemaResult.Status.OK);
    }

    @Test
    void anOnlineVersionThatMeetsAnObjectOfItsOwnAgainStillFailsOnce() throws IOException {
        Path p = project("twice");
        // the script itself makes a second t: not a leftover, so the retry fails the same way and is not tried again
        String up = "-- ferry:online\nCREATE TABLE t (id int);\nCREATE TABLE t (id int);\n";
        version(p, "1.0.0__twice", up, "-- ferry:online\nDROP TABLE IF EXISTS t;\n", "SELECT true;");

        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);

        assertThat(r.getStatus()).isEqualTo(SchemaResult.Status.FAILED);
        assertThat(r.getErrors().get(0)).contains("1.0.0__twice/up.sql line 3", "were undone with down.sql");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 't'")).isZero();
        assertThat(db.count("SELECT count(*) FROM ferry_schema.history WHERE version = '1.0.0' AND outcome = 'failed'")).isEqualTo(1);
    }

    @Test
    void versionsAreOrderedSemantically() throws IOException {
        Path p = project("semver");
        for (String v : List.of("1.10.0__ten", "1.9.0__nine", "1.2.0__two", "2__major")) {
            String n = v.split("__")[1];
            version(p, v, "INSERT INTO ferry_order (v) VALUES ('" + n + "');", "DELETE FROM ferry_order WHERE v = '" + n + "';", "SELECT true;");
        }
        version(p, "1.0.0__base", "CREATE TABLE ferry_order (n serial, v text);", "DROP TABLE ferry_order;", "SELECT true;");
        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);
        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getVersions()).extracting(SchemaResult.VersionLine::version).containsExactly("1.0.0", "1.2.0", "1.9.0", "1.10.0", "2");
        assertThat(db.text("SELECT string_agg(v, ',' ORDER BY n) FROM ferry_order")).isEqualTo("two,nine,ten,major");
    }

    @Test
    void concurrentIndexRunsOutsideTheTransactionAndAFailureLeavesNoInvalidIndex() throws IOException {
        Path p = project("concurrent");
        version(p, "1.0.0__t", "CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);", "DROP TABLE t;", "SELECT true;");
        version(p, "1.1.0__index", "CREATE INDEX CONCURRENTLY t_v ON t (v);\nCOMMENT ON INDEX t_v IS 'by v';", "DROP INDEX CONCURRENTLY t_v;",
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v'::regclass;");
        version(p, "1.2.0__unique", "ALTER TABLE t ADD COLUMN w int;\nCREATE UNIQUE INDEX CONCURRENTLY t_v_unique ON t (v);",
                "DROP INDEX IF EXISTS t_v_unique;\nALTER TABLE t DROP COLUMN IF EXISTS w;", "SELECT to_regclass('t_v_unique') IS NOT NULL;");
        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);
        assertThat(r.getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(db.count("SELECT count(*) FROM pg_index WHERE indexrelid = 't_v'::regclass AND indisvalid")).isEqualTo(1);
        assertThat(r.getErrors().get(0)).contains("1.2.0__unique/up.sql line 2").contains("undone with down.sql");
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = 't_v_unique'")).as("no invalid index left behind").isZero();
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'w'")).isZero();
        assertThat(engine.undo(SchemaProject.load(p), "1.0.0", false, false).getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = 't_v'")).isZero();
    }

    @Test
    void twoConcurrentMigratesNeverBothApply() throws Exception {
        Path p = project("race");
        version(p, "1.0.0__slow", "CREATE TABLE applied_once (id int PRIMARY KEY);\nINSERT INTO applied_once VALUES (1);\nSELECT pg_sleep(1.5);",
                "DROP TABLE applied_once;", "SELECT true;");
        SchemaProject project = SchemaProject.load(p);
        SchemaEngine other = new SchemaEngine(new SchemaTarget(db.url(), TestDatabase.USER, null), Duration.ofSeconds(30), line -> { });
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        CompletableFuture<SchemaResult> a = CompletableFuture.supplyAsync(() -> await(go, () -> engine.migrate(project, null, false, false)), two);
        CompletableFuture<SchemaResult> b = CompletableFuture.supplyAsync(() -> await(go, () -> other.migrate(project, null, false, false)), two);
        go.countDown();
        List<SchemaResult> both = List.of(a.get(), b.get());
        assertThat(both).allSatisfy(r -> assertThat(r.getErrors()).isEmpty());
        assertThat(both).extracting(r -> r.getVersions().size()).containsExactlyInAnyOrder(0, 1);
        assertThat(db.count("SELECT count(*) FROM ferry_schema.history WHERE operation = 'up'")).isEqualTo(1);

        // a second process that may not wait refuses instead of applying
        version(p, "1.1.0__slower", "SELECT pg_sleep(2);", "SELECT 1;", "SELECT true;");
        SchemaProject grown = SchemaProject.load(p);
        SchemaEngine impatient = new SchemaEngine(new SchemaTarget(db.url(), TestDatabase.USER, null), Duration.ofMillis(300), line -> { });
        CompletableFuture<SchemaResult> slow = CompletableFuture.supplyAsync(() -> engine.migrate(grown, null, false, false), two);
        Thread.sleep(700);
        SchemaResult refused = impatient.migrate(grown, null, false, false);
        assertThat(refused.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(refused.getErrors().get(0)).contains("another process is changing the schema");
        assertThat(slow.get().getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(db.count("SELECT count(*) FROM ferry_schema.history WHERE operation = 'up' AND version = '1.1.0'")).isEqualTo(1);
        two.shutdown();
    }

    @Test
    void undoBlockedByADependentViewNamesIt() throws IOException {
        Path p = project("dependent");
        version(p, "1.0.0__prices", "CREATE TABLE prices (id int, close numeric);", "DROP TABLE prices;", "SELECT true;");
        version(p, "1.1.0__adjusted", "ALTER TABLE prices ADD COLUMN adjusted_close numeric;", "ALTER TABLE prices DROP COLUMN adjusted_close;",
                "SELECT true;");
        SchemaProject project = SchemaProject.load(p);
        assertThat(engine.migrate(project, null, false, false).getErrors()).isEmpty();
        db.execute("CREATE VIEW adjusted_prices AS SELECT id, adjusted_close FROM prices");
        SchemaResult r = engine.undo(project, null, false, false);
        assertThat(r.getStatus()).isEqualTo(SchemaResult.Status.FAILED);
        assertThat(r.getErrors().get(0)).contains("1.1.0__adjusted/down.sql line 1").contains("view adjusted_prices")
                .contains("nothing of 1.1.0 was undone");
        assertThat(r.getCurrentVersion()).isEqualTo("1.1.0");
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'adjusted_close' AND table_name = 'prices'")).isEqualTo(1);
    }

    @Test
    void irreversibleVersionRefusesUndoWithItsReason() throws IOException {
        Path p = project("irreversible");
        version(p, "1.0.0__t", "CREATE TABLE t (id int, legacy text);", "DROP TABLE t;", "SELECT true;");
        version(p, "1.1.0__drop_legacy", "ALTER TABLE t DROP COLUMN legacy;", "-- irreversible: the legacy values are gone\n", "SELECT true;");
        SchemaProject project = SchemaProject.load(p);
        assertThat(engine.migrate(project, null, false, false).getErrors()).isEmpty();
        SchemaResult r = engine.undo(project, "1.0.0", false, false);
        assertThat(r.getStatus()).isEqualTo(SchemaResult.Status.REFUSED);
        assertThat(r.getErrors().get(0)).contains("cannot be undone: the legacy values are gone");
        assertThat(r.getCurrentVersion()).isEqualTo("1.1.0");
    }

    @Test
    void roundTripTestCatchesADownThatForgetsAnIndex() throws IOException {
        Path p = project("leaky");
        version(p, "1.0.0__t", "CREATE TABLE t (id int, v int);", "DROP TABLE t;", "SELECT true;");
        version(p, "1.1.0__index", "ALTER TABLE t ADD COLUMN w int;\nCREATE INDEX t_v ON t (v);", "ALTER TABLE t DROP COLUMN w;",
                "SELECT to_regclass('t_v') IS NOT NULL;");
        SchemaResult r = engine.test(SchemaProject.load(p));
        assertThat(r.getStatus()).isEqualTo(SchemaResult.Status.FAILED);
        assertThat(r.getVersions()).extracting(SchemaResult.VersionLine::version, SchemaResult.VersionLine::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.0.0", "passed"), org.assertj.core.groups.Tuple.tuple("1.1.0", "failed"));
        assertThat(r.getDifferences()).singleElement().asString().contains("1.1.0").contains("index").contains("t_v");
        assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname LIKE 'ferry_scratch_%'")).as("scratch dropped").isZero();

        write(p.resolve("1.1.0__index/down.sql"), "DROP INDEX t_v;\nALTER TABLE t DROP COLUMN w;");
        SchemaResult fixed = engine.test(SchemaProject.load(p));
        assertThat(fixed.getErrors()).isEmpty();
        assertThat(fixed.getVersions()).extracting(SchemaResult.VersionLine::outcome).containsExactly("passed", "passed");
        assertThat(engine.test(SchemaProject.load(Path.of("config/schema/trading-system"))).getErrors()).isEmpty();
    }

    @Test
    void diffReportsDriftOfTheLiveSchema() {
        SchemaProject project = SchemaProject.load(Path.of("config/schema/trading-system"));
        assertThat(engine.migrate(project, null, false, false).getErrors()).isEmpty();
        db.execute("CREATE INDEX prices_by_volume ON prices (volume); ALTER TABLE articles ALTER COLUMN title DROP NOT NULL");
        db.execute("ALTER TABLE articles ALTER COLUMN source TYPE text");
        SchemaResult diff = engine.diff(project);
        assertThat(diff.getStatus()).isEqualTo(SchemaResult.Status.FAILED);
        assertThat(diff.getDifferences()).anySatisfy(l -> assertThat(l).startsWith("extra index public.prices_by_volume"))
                .anySatisfy(l -> assertThat(l).startsWith("different column public.articles.source"));
    }

    @Test
    void dryRunPrintsTheSqlAndChangesNothing() {
        SchemaProject project = SchemaProject.load(Path.of("config/schema/trading-system"));
        SchemaResult r = engine.migrate(project, null, true, false);
        assertThat(r.isDryRun()).isTrue();
        assertThat(r.getSql()).anySatisfy(l -> assertThat(l).startsWith("-- version 1.0.0"))
                .anySatisfy(l -> assertThat(l).startsWith("-- version 1.1.0"))
                .anySatisfy(l -> assertThat(l).contains("ALTER TABLE prices ADD COLUMN adjusted_close"))
                .anySatisfy(l -> assertThat(l).startsWith("UPDATE prices SET adjusted_close = close"));
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('public', 'ferry_schema')")).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry_schema'")).isZero();

        assertThat(engine.migrate(project, "1.0.0", false, false).getErrors()).isEmpty();
        SchemaResult undoPlan = engine.undo(project, null, true, false);
        assertThat(undoPlan.getSql()).anySatisfy(l -> assertThat(l).startsWith("DROP TABLE"));
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).isEqualTo(7);
    }

    private Path project(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static void version(Path project, String folder, String up, String down, String verify) throws IOException {
        write(project.resolve(folder).resolve("up.sql"), up);
        write(project.resolve(folder).resolve("down.sql"), down);
        write(project.resolve(folder).resolve("verify.sql"), verify);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static SchemaResult await(CountDownLatch go, java.util.function.Supplier<SchemaResult> work) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return work.get();
    }
}
