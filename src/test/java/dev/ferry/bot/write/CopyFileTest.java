package dev.ferry.bot.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool files of a process killed with -9 are cleared at the next start; a live process's stay. */
class CopyFileTest {

    @TempDir
    Path tmp;

    @Test
    void aDeadProcesssSpoolGoesAndALiveOnesStays() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path orphan = Files.writeString(tmp.resolve("ferry-" + gone.pid() + "-fills-123.copy"), "1\t2\n");
        Path mine = Files.writeString(tmp.resolve("ferry-" + ProcessHandle.current().pid() + "-fills-456.copy"), "1\t2\n");
        Path other = Files.writeString(tmp.resolve("ferry-guide-anchor77.sql"), "select 1;");

        assertThat(CopyFile.removeOrphans(tmp)).isEqualTo(1);

        assertThat(orphan).doesNotExist();
        assertThat(mine).exists();
        assertThat(other).exists();
    }

    @Test
    void aSpoolFileNamesItsProcess() throws Exception {
        try (CopyFile f = new CopyFile("keys")) {
            f.row().text("x").endRow();
            try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith("ferry-" + ProcessHandle.current().pid() + "-keys-") && n.endsWith(".copy"));
            }
        }
    }
}
