package dev.ferry.core.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's temporary files (COPY spools, SQLite snapshots). Each name carries the process id,
 * so that a later start can tell a dead process's files, which a kill -9 leaves behind,
 * from those of a Ferry that is still running.
 */
public final class ScratchFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchFiles.class);
    private static final Pattern NAME = Pattern.compile("ferry-(\\d+)-.+");

    private ScratchFiles() {
    }

    /** A new empty file {@code ferry-<pid>-<kind>-<random><suffix>} in {@code dir}. */
    public static Path create(Path dir, String kind, String suffix) throws IOException {
        return Files.createTempFile(dir, "ferry-" + ProcessHandle.current().pid() + "-" + kind + "-", suffix);
    }

    /** Deletes the files in {@code dir} whose process is gone; returns how many went. */
    public static int removeOrphans(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ferry-*")) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)
                        && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException e) {
                        LOG.warn("Could not delete {}, left by a process that is gone: {}", f, e.getMessage());
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Could not look for files of processes that are gone in {}: {}", dir, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("Deleted {} temporary file(s) of processes that are gone, in {}", removed, dir);
        }
        return removed;
    }
}
