package dev.ferry.bench.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A folder on a file system that refuses Ferry's writes: full (a 64 KB tmpfs filled to the last block,
 * or a loop-mounted ext4 image where tmpfs cannot be mounted) or read-only (a tmpfs mounted {@code ro}).
 * The suite runs as root, and root ignores file modes, so {@code chmod} would prove nothing: only the
 * file system itself refuses root. Each mount is checked by writing to it as this process (root) before
 * the trial uses it; when no mount can be made or the folder still takes writes, {@link #apply} says
 * why and the cell is reported as not run, never as passed.
 */
final class FolderFault implements AutoCloseable {

    private final Path folder;
    private final List<Path> mounted = new ArrayList<>();
    private Path image;

    private FolderFault(Path folder) {
        this.folder = folder;
    }

    /** Mounts the fault on {@code folder} (created empty if missing); throws {@link Unavailable} if it cannot be done for real. */
    static FolderFault apply(Fault fault, Path folder) throws Exception {
        Files.createDirectories(folder);
        FolderFault f = new FolderFault(folder);
        try {
            if (fault == Fault.REPORTS_FULL) {
                f.full();
            } else if (fault == Fault.REPORTS_READ_ONLY) {
                f.readOnly();
            } else {
                throw new IllegalArgumentException(fault + " is not a folder fault");
            }
            if (f.writable()) {
                throw new Unavailable(folder + " still takes a write from root after mounting it " + fault);
            }
            return f;
        } catch (Exception e) {
            f.close();
            throw e;
        }
    }

    /** Why a folder fault could not be set up on this machine. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private void full() throws Exception {
        String tmpfs = mount("-t", "tmpfs", "-o", "size=64k,mode=0777", "tmpfs", folder.toString());
        if (tmpfs != null) {
            String loop = loopMount();
            if (loop != null) {
                throw new Unavailable("no full file system: tmpfs (" + tmpfs + "), loop mount (" + loop + ")");
            }
        }
        fill();
    }

    private void readOnly() throws Exception {
        String err = mount("-t", "tmpfs", "-o", "ro,size=64k,mode=0777", "tmpfs", folder.toString());
        if (err != null) {
            throw new Unavailable("no read-only file system: tmpfs ro (" + err + ")");
        }
    }

    /** A 1 MB ext4 image beside the folder, mounted through a loop device; null when mounted, else why not. */
    private String loopMount() throws Exception {
        image = folder.resolveSibling(folder.getFileName() + ".img");
        try (OutputStream out = Files.newOutputStream(image)) {
            out.write(new byte[1 << 20]);
        }
        String mkfs = exec("mkfs.ext4", "-q", "-F", image.toString());
        if (mkfs != null) {
            return "mkfs.ext4: " + mkfs;
        }
        return mount("-o", "loop", image.toString(), folder.toString());
    }

    /** Writes until the file system has no block left, then keeps the file, so the folder stays full. */
    private void fill() throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(folder.resolve(".filler"))) {
            for (int i = 0; i < 16 * 1024; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            return; // no space left on the device: what the fault is
        }
        throw new IOException("wrote 16 MB to " + folder + " without filling it");
    }

    private boolean writable() {
        Path probe = folder.resolve("probe-" + ProcessHandle.current().pid());
        try {
            Files.write(probe, new byte[8192]);
            Files.deleteIfExists(probe);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private String mount(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        String err = exec(cmd.toArray(String[]::new));
        if (err == null) {
            mounted.add(folder);
        }
        return err;
    }

    @Override
    public void close() {
        for (Path m : mounted) {
            try {
                if (exec("umount", m.toString()) != null) {
                    exec("umount", "-l", m.toString()); // a child still holds a file there; detach it anyway
                }
            } catch (Exception e) {
                System.err.println("could not unmount " + m + ": " + e.getMessage());
            }
        }
        mounted.clear();
        if (image != null) {
            try {
                Files.deleteIfExists(image);
            } catch (IOException e) {
                System.err.println("could not delete " + image + ": " + e.getMessage());
            }
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String exec(String... cmd) throws Exception {
        Path out = Files.createTempFile("ferry-mount-", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                return e.getMessage();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not finish";
            }
            return p.exitValue() == 0 ? null : (String.join(" ", cmd) + ": " + Files.readString(out).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
