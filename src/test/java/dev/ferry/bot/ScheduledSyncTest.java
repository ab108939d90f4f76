package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.core.report.ValidationReports;
import dev.ferry.support.FerryTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The Quartz sync re-reads a live bot folder and loads only what the bot appended since; the Quartz validation checks it. */
class ScheduledSyncTest extends FerryTestSupport {

    /** A folder no earlier run can have left files in (a pid-named one could, once pids wrap). */
    private static final Path LIVE = freshFolder();

    private static Path freshFolder() {
        try {
            return Files.createTempDirectory("ferry-sync-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.sync.enabled", "true", "ferry.sync.cron", "0/1+*+*+*+*+?", "ferry.sync.folders", "1=" + LIVE,
                "ferry.validate.enabled", "true", "ferry.validate.cron", "0/2+*+*+*+*+?");
    }

    private static String trades(int n) {
        StringBuilder sb = new StringBuilder("{\"trades\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"symbol\": \"S").append(i).append("\", \"entry_price\": 10, \"qty\": 1, ")
                    .append("\"entry_time\": \"2025-10-27T09:").append(String.format("%02d", i)).append(":00\"}");
        }
        return sb.append("]}").toString();
    }

    private void syncOnce() {
        NotifyBuilder synced = new NotifyBuilder(ferry.context()).fromRoute("scheduled-sync").whenDone(1).create();
        assertThat(synced.matches(30, TimeUnit.SECONDS)).as("a sync ran").isTrue();
    }

    /**
     * Waits until the syncs have loaded the expected orders, then lets two more syncs run to
     * show that re-reading the same file loads nothing more. Counting syncs alone is racy: one
     * may already be under way when the file changes.
     */
    private void syncUntil(long orders) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.count("SELECT count(*) FROM trading.orders") < orders && System.nanoTime() < deadline) {
            syncOnce();
        }
        syncOnce();
        syncOnce();
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(orders);
    }

    /** The bot rewrites its file; written whole so that a sync never sees half of it. */
    private static void botWrites(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void eachSyncLoadsOnlyWhatTheBotAppended() throws Exception {
        Path file = LIVE.resolve("trades_history.json");
        botWrites(file, trades(3));
        syncUntil(3);

        botWrites(file, trades(5)); // the bot appends two trades and rewrites its file
        syncUntil(5);

        assertThat(db.count("SELECT count(DISTINCT symbol) FROM trading.orders")).isEqualTo(5);
        assertThat(db.text("SELECT loaded || ' ' || duplicates FROM ferry.runs WHERE loaded = 2")).isEqualTo("2 3");
        assertThat(file).as("the live file stays where the bot keeps it").exists();

        // the scheduled validation of the same live folder comes to VALID with all five trades matched
        ValidationReports reports = ferry.context().getRegistry().lookupByNameAndType("validationReports", ValidationReports.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(reports.last() != null && reports.last().isValid() && reports.last().total("matched") == 5) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(reports.last()).as("a scheduled validation ran").isNotNull();
        assertThat(reports.last().getStatus()).as(String.valueOf(reports.last())).isEqualTo("VALID");
        assertThat(reports.last().total("matched")).isEqualTo(5);
        assertThat(reports.lastHtml()).exists();
        Files.delete(file);
        Files.delete(LIVE);
    }
}
