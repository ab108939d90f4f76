package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ferry.support.FerryTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The Quartz sync re-reads a live bot folder and loads only what the bot appended since. */
class ScheduledSyncTest extends FerryTestSupport {

    private static final Path LIVE = Path.of(System.getProperty("java.io.tmpdir"), "ferry-sync-test-" + ProcessHandle.current().pid());

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.sync.enabled", "true", "ferry.sync.cron", "0/1+*+*+*+*+?", "ferry.sync.folders", "1=" + LIVE);
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

    @Test
    void eachSyncLoadsOnlyWhatTheBotAppended() throws Exception {
        Files.createDirectories(LIVE);
        Path file = LIVE.resolve("trades_history.json");
        Files.writeString(file, trades(3));
        syncOnce();
        syncOnce(); // a sync may have started before the file was complete: the next one surely saw it
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(3);

        Files.writeString(file, trades(5)); // the bot appends two trades and rewrites its file
        syncOnce();
        syncOnce();

        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(5);
        assertThat(db.count("SELECT count(DISTINCT symbol) FROM trading.orders")).isEqualTo(5);
        assertThat(db.text("SELECT loaded || ' ' || duplicates FROM ferry.runs WHERE loaded = 2")).isEqualTo("2 3");
        assertThat(file).as("the live file stays where the bot keeps it").exists();
        Files.delete(file);
        Files.delete(LIVE);
    }
}
