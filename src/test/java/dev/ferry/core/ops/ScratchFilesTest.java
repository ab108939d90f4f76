package dev.ferry.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary files (spools, snapshots) of a process killed with -9 are cleared at the next start; a live process's stay. */
class ScratchFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aDeadProcesssSpoolGoesAndALiveOnesStays() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path orphan = Files.writeString(tmp.resolve("ferry-" + gone.pid() + "-fills-123.copy"), "1\t2\n");
        Path snapshot = Files.writeString(tmp.resolve("ferry-" + gone.pid() + "-snapshot-9.sqlite"), "SQLite format 3");
        Path mine = Files.writeString(tmp.resolve("ferry-" + ProcessHandle.current().pid() + "-fills-456.copy"), "1\t2\n");
        Path other = Files.writeString(tmp.resolve("ferry-guide-anchor77.sql"), "select 1;");

        assertThat(ScratchFiles.removeOrphans(tmp)).isEqualTo(2);

        assertThat(orphan).doesNotExist();
        assertThat(snapshot).doesNotExist();
        assertThat(mine).exists();
        assertThat(other).exists();
    }

    @Test
    void aNewFileNamesItsProcess() throws Exception {
        Path f = ScratchFiles.create(tmp, "keys", ".copy");
        assertThat(f.getFileName().toString()).startsWith("ferry-" + ProcessHandle.current().pid() + "-keys-").endsWith(".copy");
        assertThat(ScratchFiles.removeOrphans(tmp)).isZero();
        assertThat(f).exists();
    }
}
