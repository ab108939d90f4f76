package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import dev.ferry.sqlite.state.SqliteRunState;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The SQLite migration's other entry points, all through the same route: a file dropped into inbox/sqlite/, and JMX. */
class SqliteEntryPointsTest extends FerryTestSupport {

    @Override
    protected boolean watch() {
        return true;
    }

    private Path store(String name) {
        return SqliteFixture.create(work.resolve("staging").resolve(name),
                "CREATE TABLE tickers (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE, is_active INTEGER)",
                "INSERT INTO tickers VALUES (1, 'TCS', 1), (2, 'INFY', 0)",
                "CREATE TABLE prices (ticker_id INTEGER REFERENCES tickers(id), date TEXT, close REAL)",
                "INSERT INTO prices VALUES (1, '2025-10-28', 3861.25), (2, '2025-10-28', 1480.5)");
    }

    @Test
    void aDroppedSqliteFileIsMigratedValidatedAndMovedToDone() throws Exception {
        Path staged = store("market.db");
        NotifyBuilder done = new NotifyBuilder(ferry.context()).fromRoute("inbox-sqlite-files").whenDone(1).create();
        Path target = work.resolve("inbox/sqlite/market.db");
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);

        assertThat(done.matches(60, TimeUnit.SECONDS)).as("inbox route finished").isTrue();
        assertThat(work.resolve("done/sqlite/market.db")).isRegularFile();
        assertThat(target).doesNotExist();
        assertThat(db.text("SELECT string_agg(symbol || ' ' || is_active, ',' ORDER BY id) FROM public.tickers")).isEqualTo("TCS true,INFY false");
        assertThat(db.count("SELECT count(*) FROM public.prices")).isEqualTo(2);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE flow = 'sqlite' ORDER BY id DESC LIMIT 1")).isEqualTo("completed");
    }

    @Test
    void aDroppedFileWaitsWhileAnotherMigrationWritesIntoItsSchemaThenLoads() throws Exception {
        Path staged = SqliteFixture.create(work.resolve("staging").resolve("queued.db"),
                "CREATE TABLE queued (id INTEGER PRIMARY KEY, note TEXT)", "INSERT INTO queued VALUES (1, 'a'), (2, 'b')");
        long runsBefore = db.count("SELECT count(*) FROM ferry.runs WHERE flow = 'sqlite'");
        Path target = work.resolve("inbox/sqlite/queued.db");
        Path marker = target.resolveSibling("queued.db.camelLock");
        NotifyBuilder done = new NotifyBuilder(ferry.context()).fromRoute("inbox-sqlite-files").whenDone(1).create();
        try (Connection other = db.connect()) {
            // another process (a command, a second service) is migrating into the inbox's schema
            assertThat(SqliteRunState.claimSchema(other, "public")).isTrue();
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(marker).as("the inbox took the file up").exists();
            Thread.sleep(2_000);

            assertThat(target).as("waiting in the inbox, not moved to error").isRegularFile();
            assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE flow = 'sqlite'")).as("no run begun while it waits").isEqualTo(runsBefore);
            assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'queued'")).isZero();

            SqliteRunState.releaseSchema(other, "public");
        }

        assertThat(done.matches(60, TimeUnit.SECONDS)).as("inbox route finished").isTrue();
        assertThat(work.resolve("done/sqlite/queued.db")).isRegularFile();
        assertThat(db.text("SELECT string_agg(id || note, ',' ORDER BY id) FROM public.queued")).isEqualTo("1a,2b");
        assertThat(db.text("SELECT status FROM ferry.runs WHERE flow = 'sqlite' ORDER BY id DESC LIMIT 1")).isEqualTo("completed");
    }

    @Test
    void anEmptyFileDroppedIntoTheInboxIsRefusedNotWaitedOn() throws Exception {
        Path staged = Files.createDirectories(work.resolve("staging")).resolve("empty.db");
        Files.write(staged, new byte[0]);
        Path target = work.resolve("inbox/sqlite/empty.db");
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.exists(target) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(target).as("not left in the inbox").doesNotExist();
        assertThat(work.resolve("error/sqlite/empty.db")).isRegularFile();
        assertThat(db.text("SELECT status || ': ' || message FROM ferry.runs WHERE flow = 'sqlite' ORDER BY id DESC LIMIT 1"))
                .isEqualTo("invalid: empty.db is empty (0 bytes): not a SQLite database, nothing to migrate");
    }

    @Test
    void theJmxOperationsGoThroughTheSameRoute() throws Exception {
        Path file = store("jmx.db");
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.apache.camel:context=ferry,type=services,name=SqliteMigrationControl");

        String migrated = (String) server.invoke(name, "migrate", new Object[] {file.toString(), "", "viajmx", "skip", false},
                new String[] {"java.lang.String", "java.lang.String", "java.lang.String", "java.lang.String", "boolean"});
        String validated = (String) server.invoke(name, "validate", new Object[] {file.toString(), "", "viajmx"},
                new String[] {"java.lang.String", "java.lang.String", "java.lang.String"});

        assertThat(migrated).contains("SQLite migrate of", "completed", "source and target agree");
        assertThat(validated).contains("SQLite validate-only of", "source and target agree");
        assertThat(db.count("SELECT count(*) FROM viajmx.prices")).isEqualTo(2);
    }
}
