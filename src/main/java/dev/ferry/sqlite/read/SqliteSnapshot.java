package dev.ferry.sqlite.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.core.ops.ScratchFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * One consistent copy of a live store, which the whole migration (every table's load, the
 * counts, the validation) reads instead of the store itself. A store in WAL mode, or with a
 * journal or log that holds changes, may be written while Ferry reads it; reading each table
 * in its own transaction would then give tables from different moments (children without
 * their parents), and a validation that reads the file again later compares against rows the
 * load never saw. SQLite's online backup, done in one step, copies every page under a single
 * read transaction, so the copy is exactly the store at one commit, while the application's
 * writers go on (WAL) or wait only for the copy (a rollback journal). The copy is then read
 * from its pages like any quiet file and deleted when the run ends.
 */
public final class SqliteSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSnapshot.class);

    private final SqliteSource source;
    private final Path copy;
    private final String description;

    private SqliteSnapshot(SqliteSource source, Path copy, String description) {
        this.source = source;
        this.copy = copy;
        this.description = description;
    }

    /** The source to read: {@code store} itself when nothing can change it underneath, else a fresh snapshot of it. */
    public static SqliteSnapshot of(SqliteSource store, Path dir, boolean pageReader) throws SQLException {
        String why = liveReason(store.file());
        if (why == null) {
            return new SqliteSnapshot(store, null, null);
        }
        long need;
        try {
            need = Files.size(store.file()) + sizeOf(store.file().resolveSibling(store.file().getFileName() + "-wal"));
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < need + (64L << 20)) {
                throw new IllegalArgumentException(store.file().getFileName() + " " + why + ", so Ferry reads one snapshot of it, but "
                        + dir + " has " + (free >> 20) + " MB free for a copy of up to " + (need >> 20)
                        + " MB: free space there or point ferry.sqlite.snapshot-dir elsewhere");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot prepare a snapshot of " + store.file() + " in " + dir + ": " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        Path copy;
        try {
            copy = ScratchFiles.create(dir, "snapshot", ".sqlite");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a snapshot file in " + dir + ": " + e.getMessage(), e);
        }
        boolean ok = false;
        try {
            try (Connection c = store.open()) {
                // all pages in one step: one read transaction, so the copy is one commit of the store, never a mix
                c.unwrap(SQLiteConnection.class).getDatabase().backup("main", copy.toString(), null, 100, 100, -1);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement st = c.createStatement()) {
                // the copy keeps the store's WAL flag; as a plain file it is read from its pages without a log beside it
                st.execute("PRAGMA journal_mode = DELETE");
            }
            ok = true;
        } finally {
            if (!ok) {
                deleteQuietly(copy);
            }
        }
        String description = String.format("the store %s; %,d MB copied in %,d ms at %s, and every table, count and check read that copy",
                why, sizeOf(copy) >> 20, (System.nanoTime() - start) / 1_000_000, java.time.Instant.now());
        LOG.info("{}: {}", store.file().getFileName(), description);
        return new SqliteSnapshot(new SqliteSource(copy, pageReader), copy, description);
    }

    /** Why {@code file} may change while it is read (WAL mode, a log or journal with content), or null. */
    static String liveReason(Path file) {
        Path side = sideFileWithChanges(file);
        if (side != null) {
            return "has a " + side.getFileName().toString().substring(file.getFileName().toString().length() + 1) + " file with changes";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(20);
            ch.read(header, 0);
            // bytes 18 and 19: the read and write format versions, 2 for WAL
            if (header.position() >= 20 && (header.get(18) == 2 || header.get(19) == 2)) {
                return "is in WAL mode (an application may be writing it)";
            }
        } catch (IOException e) {
            return null; // SQLite will say what is wrong with it
        }
        return null;
    }

    /** The store's -wal or -journal file when it holds changes not yet in the main file, else null. */
    static Path sideFileWithChanges(Path file) {
        for (String suffix : new String[] {"-wal", "-journal"}) {
            Path side = file.resolveSibling(file.getFileName() + suffix);
            if (sizeOf(side) > 0) {
                return side;
            }
        }
        return null;
    }

    public SqliteSource source() {
        return source;
    }

    /** How the snapshot was taken, for the run's result; null when the store itself is read. */
    public String description() {
        return description;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
            Files.deleteIfExists(p.resolveSibling(p.getFileName() + "-journal"));
        } catch (IOException e) {
            LOG.warn("Could not delete the snapshot {}: {}", p, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (copy != null) {
            deleteQuietly(copy);
        }
    }
}
