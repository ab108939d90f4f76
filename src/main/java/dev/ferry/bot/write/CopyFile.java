package dev.ferry.bot.write;

import dev.ferry.core.db.CopyRowWriter;
import dev.ferry.core.ops.ScratchFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPY rows spooled to a local temporary file, for tables that must be written
 * after another COPY on the same connection has ended (fills after their orders).
 */
public final class CopyFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CopyFile.class);

    private final Path file;
    private final BufferedWriter out;
    private final CopyRowWriter rows;
    private long count;

    CopyFile(String prefix) throws IOException {
        this.file = ScratchFiles.create(Path.of(System.getProperty("java.io.tmpdir")), prefix, ".copy");
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.rows = new CopyRowWriter(out);
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
