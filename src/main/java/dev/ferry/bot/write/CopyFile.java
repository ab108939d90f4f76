package dev.ferry.bot.write;

import dev.ferry.core.db.CopyRowWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPY rows spooled to a local temporary file, for tables that must be written
 * after another COPY on the same connection has ended (fills after their orders).
 */
public final class CopyFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CopyFile.class);
    private static final Pattern SPOOL = Pattern.compile("ferry-(\\d+)-.+\\.copy");

    private final Path file;
    private final BufferedWriter out;
    private final CopyRowWriter rows;
    private long count;

    CopyFile(String prefix) throws IOException {
        // the pid in the name lets a later start tell a dead process's spool from a running one's
        this.file = Files.createTempFile("ferry-" + ProcessHandle.current().pid() + "-" + prefix + "-", ".copy");
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.rows = new CopyRowWriter(out);
    }

    /**
     * Deletes the spool files a killed process left in {@code dir} (a kill -9 never runs the
     * close that removes them): those whose process is gone. Returns how many went.
     */
    public static int removeOrphans(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ferry-*.copy")) {
            for (Path f : files) {
                Matcher m = SPOOL.matcher(f.getFileName().toString());
                if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException e) {
                        LOG.warn("Could not delete the orphaned spool file {}: {}", f, e.getMessage());
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Could not look for orphaned spool files in {}: {}", dir, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("Deleted {} spool file(s) of processes that are gone, in {}", removed, dir);
        }
        return removed;
    }

    CopyRowWriter row() {
        count++;
        return rows;
    }

    long rows() {
        return count;
    }

    /** Sends the spooled rows with the given COPY ... FROM STDIN; returns the rows PostgreSQL took. */
    long copyInto(Connection c, String copySql) throws IOException, SQLException {
        out.flush();
        if (count == 0) {
            return 0;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, in, 1 << 16);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
