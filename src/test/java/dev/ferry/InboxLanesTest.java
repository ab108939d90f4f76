package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Several users' files dropped into the inbox at once: they load side by side, each user's in
 * modification-time order, each exactly once, and a file leaves the inbox only after its run
 * has committed. A stop leaves the files not yet started where they are.
 */
class InboxLanesTest extends FerryTestSupport {

    private static final int TRADES = 40;
    private static final long START_OF_TIMES = System.currentTimeMillis() - 3_600_000;
    private int seed;

    @Override
    protected boolean watch() {
        return true;
    }

    @Override
    protected Map<String, String> extraSettings() {
        // a wait far longer than the growing file's pauses, however slow the machine is; the other files are older
        return Map.of("ferry.inbox.parallel-users", "2", "ferry.inbox.write-complete-ms", "1000");
    }

    @Test
    void twoUsersFilesLoadOnceEachUserInFileOrderAndLeaveTheInboxOnlyAfterTheirRun() throws Exception {
        // names sort against the files' times: the order must come from the times
        List<Path> staged = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            for (long user = 1; user <= 2; user++) {
                staged.add(stage(user, "trades_history-" + (char) ('d' - k) + ".json", START_OF_TIMES + k * 1000L + user));
            }
        }
        DoneWatcher watcher = new DoneWatcher();
        watcher.start();
        try {
            Path growing = work.resolve("inbox/user_2/trades_history-growing.json");
            Files.createDirectories(growing.getParent());
            Files.writeString(growing, "{\"trades\": [");
            for (Path p : staged) {
                Path target = work.resolve("inbox").resolve(p.getParent().getFileName()).resolve(p.getFileName());
                Files.createDirectories(target.getParent());
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            }
            // written to for longer than the write-complete wait, as a slow copy does: read early it is invalid JSON
            for (int i = 0; i < 15; i++) {
                Thread.sleep(100);
                Files.writeString(growing, " ", StandardOpenOption.APPEND);
            }
            Files.writeString(growing, "{\"symbol\": \"GROW\", \"entry_price\": 1, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\"}]}",
                    StandardOpenOption.APPEND);

            await("nine runs ended and the inbox empty", () -> db.count("SELECT count(*) FROM ferry.runs WHERE user_id IN (1, 2) "
                    + "AND ended_at IS NOT NULL") >= 9 && inboxFiles().isEmpty());
        } finally {
            watcher.stop();
        }

        assertThat(db.text("SELECT string_agg(source_file || ' ' || status, ', ') FROM ferry.runs WHERE user_id IN (1, 2) AND status <> 'completed'"))
                .as("runs that did not complete").isNull();
        assertThat(db.count("SELECT count(DISTINCT (user_id, source_file)) FROM ferry.runs WHERE user_id IN (1, 2)")).isEqualTo(9);
        long perFile = TRADES + TRADES / 2 + 1;
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 1")).isEqualTo(4 * perFile);
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 2")).isEqualTo(4 * perFile + 1);
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = 'GROW'")).isEqualTo(1);

        for (long user = 1; user <= 2; user++) {
            assertThat(db.text("SELECT string_agg(source_file, ' ' ORDER BY id) FROM ferry.runs WHERE user_id = " + user))
                    .as("user %d's runs in the order of the files' times", user)
                    .isEqualTo(user == 1 ? "trades_history-d.json trades_history-c.json trades_history-b.json trades_history-a.json"
                            : "trades_history-d.json trades_history-c.json trades_history-b.json trades_history-a.json trades_history-growing.json");
            assertThat(db.count("""
                    SELECT count(*) FROM (SELECT started_at, lag(ended_at) OVER (ORDER BY id) AS before FROM ferry.runs WHERE user_id = %d) r
                    WHERE started_at < before""".formatted(user))).as("user %d's runs one after another", user).isZero();
        }
        assertThat(watcher.seen).as("every file reached done").hasSize(9);
        assertThat(watcher.movedBeforeCommit).as("files seen in done before their run was committed").isEmpty();
    }

    @Test
    void aStopLeavesTheFilesNotYetStartedInTheInboxAndTheNextStartLoadsEachOnce() throws Exception {
        db.execute("INSERT INTO trading.users (id, email, name) VALUES (3, 'three@example.com', 'Three')");
        List<Path> staged = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            staged.add(stage(3, "trades_history-stop-" + k + ".json", START_OF_TIMES + k * 1000L, 3000));
        }
        for (Path p : staged) {
            Path target = work.resolve("inbox/user_3").resolve(p.getFileName());
            Files.createDirectories(target.getParent());
            Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
        }
        await("the first run started", () -> db.count("SELECT count(*) FROM ferry.runs WHERE user_id = 3") >= 1);

        ferry.close();

        long stayed = inboxFiles().size();
        long loadedBeforeTheStop = db.count("SELECT count(*) FROM ferry.runs WHERE user_id = 3 AND status = 'completed'");
        assertThat(stayed).as("files not yet started stayed in the inbox").isPositive();
        assertThat(stayed + doneFiles(3)).as("no file lost").isEqualTo(8);
        assertThat(loadedBeforeTheStop).isEqualTo(doneFiles(3));
        startFerryAgain();

        await("the restart loaded the rest", () -> inboxFiles().isEmpty()
                && db.count("SELECT count(*) FROM ferry.runs WHERE user_id = 3 AND status = 'completed'") == 8);
        assertThat(db.count("SELECT count(DISTINCT source_file) FROM ferry.runs WHERE user_id = 3 AND status = 'completed'")).isEqualTo(8);
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 3")).isEqualTo(8L * (3000 + 1500 + 1));
        assertThat(db.text("SELECT string_agg(source_file, ' ' ORDER BY id) FROM ferry.runs WHERE user_id = 3 AND status = 'completed'"))
                .isEqualTo(String.join(" ", Stream.iterate(0, k -> k + 1).limit(8).map(k -> "trades_history-stop-" + k + ".json").toList()));
    }

    private Path stage(long user, String name, long mtime) throws IOException {
        return stage(user, name, mtime, TRADES);
    }

    /** A file of distinct trades (its own start day) written beside the inbox, with the given modification time. */
    private Path stage(long user, String name, long mtime, int trades) throws IOException {
        seed++;
        Path p = work.resolve("staging/user_" + user).resolve(name);
        new TradesHistoryGenerator().trades(trades).seed(seed).start(LocalDateTime.of(2021, 1, 1, 9, 15).plusDays(seed)).write(p);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime));
        return p;
    }

    private List<Path> inboxFiles() throws IOException {
        try (Stream<Path> s = Files.walk(work.resolve("inbox"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private long doneFiles(long user) throws IOException {
        Path dir = work.resolve("done/user_" + user);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check condition) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.holds()) {
            assertThat(System.currentTimeMillis()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * Looks at the done folders every few milliseconds; for each file that has just arrived it
     * asks the database, in a session of its own, whether that file's run has committed.
     */
    private final class DoneWatcher implements Runnable {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final Set<String> movedBeforeCommit = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start() {
            thread = new Thread(this, "done-watcher");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            run(); // one last look after the last move
        }

        @Override
        public void run() {
            do {
                for (long user = 1; user <= 2; user++) {
                    Path dir = work.resolve("done/user_" + user);
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path f : files.toList()) {
                            String key = user + "/" + f.getFileName();
                            if (seen.add(key) && db.count("SELECT count(*) FROM ferry.runs WHERE user_id = " + user + " AND source_file = '"
                                    + f.getFileName() + "' AND status = 'completed'") != 1) {
                                movedBeforeCommit.add(key);
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } while (running.get());
        }
    }
}
