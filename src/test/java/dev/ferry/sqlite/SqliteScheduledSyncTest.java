package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.Test;

/** The Quartz sync of a live SQLite file: each sync loads only the rows added since the one before. */
class SqliteScheduledSyncTest extends FerryTestSupport {

    private static final Path LIVE;

    static {
        try {
            LIVE = SqliteFixture.create(Files.createTempDirectory("ferry-sqlite-live-").resolve("live.db"),
                    "CREATE TABLE bars (id INTEGER PRIMARY KEY, ticker TEXT NOT NULL, date TEXT NOT NULL, close REAL)",
                    "INSERT INTO bars (ticker, date, close) VALUES ('TCS', '2025-10-27', 3850.5), ('TCS', '2025-10-28', 3861.25)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.sqlite.sync.enabled", "true", "ferry.sqlite.sync.cron", "0/1+*+*+*+*+?", "ferry.sqlite.sync.file", LIVE.toString(),
                "ferry.sqlite.target-schema", "live");
    }

    private void awaitRows(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (db.count("SELECT count(*) FROM live.bars") >= n) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the first sync has not created the table yet
            }
            Thread.sleep(100);
        }
    }

    @Test
    void eachSyncLoadsOnlyTheRowsAddedSinceTheLastOne() throws Exception {
        awaitRows(2);
        SqliteFixture.exec(LIVE, "INSERT INTO bars (ticker, date, close) VALUES ('TCS', '2025-10-29', 3870), ('INFY', '2025-10-29', 1490.1)");

        awaitRows(4);

        assertThat(db.count("SELECT count(*) FROM live.bars")).isEqualTo(4);
        assertThat(db.count("SELECT count(DISTINCT id) FROM live.bars")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM ferry.sqlite_tables t JOIN ferry.runs r ON r.id = t.run_id"
                + " WHERE t.source_table = 'bars' AND t.rows_read = 2 AND t.loaded = 2 AND r.status = 'completed'"))
                .as("two syncs that each read and loaded two rows").isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM ferry.sqlite_tables WHERE source_table = 'bars' AND rows_read > 2")).as("no sync re-read old rows").isZero();
    }
}
