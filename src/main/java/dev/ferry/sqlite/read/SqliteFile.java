package dev.ferry.sqlite.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A SQLite database file's pages, read with positional reads (no mapping, so the file
 * does not count against the process's memory), as its documented format lays them out (https://www.sqlite.org/fileformat2.html). Only files whose main file holds
 * every committed page qualify: UTF-8 text, and no write-ahead log or hot journal with
 * content. {@link PageRows} reads table b-trees through it while a read transaction on
 * a regular connection keeps writers from changing the file.
 */
final class SqliteFile implements AutoCloseable {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final FileChannel channel;
    final int pageSize;
    /** Page size less the bytes each page reserves at its end (for extensions such as checksums). */
    final int usable;
    private final long pages;

    private SqliteFile(FileChannel channel, int pageSize, int usable, long pages) {
        this.channel = channel;
        this.pageSize = pageSize;
        this.usable = usable;
        this.pages = pages;
    }

    /** The file's pages, or empty with the reason when only SQLite itself can read the file correctly. */
    static Optional<SqliteFile> open(Path file, StringBuilder whyNot) throws IOException {
        Path side = SqliteSnapshot.sideFileWithChanges(file);
        if (side != null) {
            whyNot.append(side.getFileName()).append(" holds changes not yet in the main file");
            return Optional.empty();
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            byte[] header = new byte[100];
            if (size < 100 || ch.read(java.nio.ByteBuffer.wrap(header), 0) < 100 || !java.util.Arrays.equals(header, 0, 16, MAGIC, 0, 16)) {
                whyNot.append("not a SQLite 3 file");
                ch.close();
                return Optional.empty();
            }
            int pageSize = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
            if (pageSize == 1) {
                pageSize = 65536;
            }
            int encoding = ((header[56] & 0xff) << 24) | ((header[57] & 0xff) << 16) | ((header[58] & 0xff) << 8) | (header[59] & 0xff);
            if (encoding > 1) {
                whyNot.append("text is stored as UTF-16");
                ch.close();
                return Optional.empty();
            }
            int usable = pageSize - (header[20] & 0xff);
            return Optional.of(new SqliteFile(ch, pageSize, usable, size / pageSize));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Copies page {@code number} (1-based) into {@code into}, which holds at least a page. */
    void read(long number, byte[] into) throws IOException {
        if (number < 1 || number > pages) {
            throw new IOException("page " + number + " is outside the file (" + pages + " pages): the file is damaged");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(into, 0, pageSize);
        long at = (number - 1) * pageSize;
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException("page " + number + " ends early: the file is shorter than it was");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
