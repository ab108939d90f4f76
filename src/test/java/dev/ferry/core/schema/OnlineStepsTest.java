package dev.ferry.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions marked {@code -- ferry:online}: each statement under lock_timeout, retried when it
 * times out, so the application's queries never queue behind Ferry's waiting DDL for longer than
 * the lock timeout. The reference is the same change without the marker, in the same test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineStepsTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(300);

    private TestDatabase db;
    private SchemaEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    void createDatabase() {
        db = new TestDatabase(getClass());
        engine = new SchemaEngine(new SchemaTarget(db.url(), TestDatabase.USER, null), Duration.ofSeconds(30), line -> { })
                .withOnline(new OnlinePolicy(LOCK_TIMEOUT, Duration.ofSeconds(60)));
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void freshTable() {
        db.execute("DROP SCHEMA IF EXISTS ferry_schema CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
                + "CREATE TABLE positions (id int PRIMARY KEY, symbol text); INSERT INTO positions SELECT g, 'S' || g FROM generate_series(1, 1000) g");
    }

    /** What the application saw while the change ran: its longest statement, in ms. */
    private record Seen(SchemaResult result, long appMaxMs, long appStatements) {
    }

    /**
     * A long reader holds the table (ACCESS SHARE) for 2 s; meanwhile the version's ALTER needs
     * ACCESS EXCLUSIVE, and the application keeps reading the table every 20 ms.
     */
    private Seen migrateBehindALongReader(boolean online) throws Exception {
        Path p = Files.createDirectories(dir.resolve(online ? "online" : "plain"));
        String marker = online ? "-- ferry:online\n" : "";
        write(p.resolve("1.0.0__portfolio_id/up.sql"), marker + "ALTER TABLE positions ADD COLUMN portfolio_id int;\n"
                + "CREATE INDEX CONCURRENTLY positions_portfolio ON positions (portfolio_id);");
        write(p.resolve("1.0.0__portfolio_id/down.sql"), marker + "DROP INDEX CONCURRENTLY positions_portfolio;\nALTER TABLE positions DROP COLUMN portfolio_id;");
        write(p.resolve("1.0.0__portfolio_id/verify.sql"), "SELECT to_regclass('positions_portfolio') IS NOT NULL;");
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeQuery("SELECT count(*) FROM positions").close();
                reading.countDown();
                Thread.sleep(2_000);
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxMs = new AtomicLong();
        AtomicLong count = new AtomicLong();
        Thread app = new Thread(() -> {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    st.executeQuery("SELECT symbol FROM positions WHERE id = 7").close();
                    maxMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    count.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        reading.await();
        app.start();
        Thread.sleep(100); // the application is running before the change starts
        SchemaResult r = engine.migrate(SchemaProject.load(p), null, false, false);
        reader.join();
        Thread.sleep(200);
        stop.set(true);
        app.join();
        return new Seen(r, maxMs.get(), count.get());
    }

    @Test
    void anOnlineVersionRetriesUnderLockTimeoutAndNeverQueuesTheApplicationLonger() throws Exception {
        Seen online = migrateBehindALongReader(true);

        assertThat(online.result().getErrors()).isEmpty();
        assertThat(online.result().getCurrentVersion()).isEqualTo("1.0.0");
        assertThat(online.result().getNotes()).anyMatch(n -> n.contains("timed out waiting for a lock") && n.contains("retried"));
        assertThat(db.count("SELECT count(*) FROM pg_index WHERE indexrelid = 'positions_portfolio'::regclass AND indisvalid")).isEqualTo(1);
        assertThat(online.appStatements()).isPositive();
        // the application waited at most the lock timeout behind Ferry's ALTER, plus its own time
        assertThat(online.appMaxMs()).isLessThan(LOCK_TIMEOUT.toMillis() + 250);
        assertThat(db.text("SHOW lock_timeout")).as("a fresh session keeps the server's default").isEqualTo("0");

        // the same change without the marker queues the application behind it until the reader is gone
        freshTable();
        Seen plain = migrateBehindALongReader(false);
        assertThat(plain.result().getErrors()).isEmpty();
        assertThat(plain.appMaxMs()).isGreaterThan(1_000);
    }

    @Test
    void anOnlineUndoWaitsTheSameWay() throws Exception {
        Seen up = migrateBehindALongReader(true);
        assertThat(up.result().getErrors()).isEmpty();
        SchemaResult undone = engine.undo(SchemaProject.load(dir.resolve("online")), "0", false, false);
        assertThat(undone.getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'positions' AND column_name = 'portfolio_id'")).isZero();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
