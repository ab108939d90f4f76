package dev.ferry.bot.read;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * The inbox's write-complete rule: a file is taken only once nothing has written to it for
 * {@code ferry.inbox.write-complete-ms} (every write moves its modification time, so a size
 * that still changes keeps it out too). A file that was complete before it landed (moved in,
 * or copied with its times kept) is taken at the first scan that sees it.
 *
 * <p>Used as the file consumer's filter rather than Camel's readLock=changed: that lock sleeps in
 * the consumer's only thread until the file it looks at is old enough, holding up every other
 * file (and every other user) meanwhile. A filter never waits: a file not yet complete is passed
 * over and looked at again by the next scan, a tenth of a second later by default.
 */
public final class WriteComplete implements GenericFileFilter<File> {

    private final long quietMillis;
    private final InboxScanSchedule schedule;

    public WriteComplete(long quietMillis, InboxScanSchedule schedule) {
        this.quietMillis = quietMillis;
        this.schedule = schedule;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        // folders are walked into (user_<id>/, paper_trading/); antInclude picks the files
        if (file.isDirectory() || isComplete(file.getLastModified(), System.currentTimeMillis())) {
            return true;
        }
        // taken the moment its wait ends, unless something writes to it meanwhile (then the next scan asks again)
        schedule.wakeAt(file.getLastModified() + quietMillis + 1);
        return false;
    }

    boolean isComplete(long lastModified, long now) {
        return lastModified <= now - quietMillis;
    }

    /**
     * Refuses to go on when the file is no longer exactly what the scan accepted (same size and
     * time). A file waits in its user's lane while that user's earlier files load; something that
     * wrote to it meanwhile makes it a file still being written, not one to read now. The refusal
     * leaves it in the inbox, and a later scan takes it once it is quiet again.
     */
    public void requireUnchanged(String path, long lastModified, long length) throws IOException {
        BasicFileAttributes now = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
        if (now.lastModifiedTime().toMillis() != lastModified || now.size() != length) {
            throw new LeftInInboxException(path + " changed after it was found complete (" + length + " -> " + now.size()
                    + " bytes); left in the inbox until nothing has written to it for " + quietMillis + " ms");
        }
    }

    public long quietMillis() {
        return quietMillis;
    }
}
