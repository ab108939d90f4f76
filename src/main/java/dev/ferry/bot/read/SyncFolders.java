package dev.ferry.bot.read;

import java.util.ArrayList;
import java.util.List;

/**
 * The live bot folders the scheduled sync re-reads, from ferry.sync.folders:
 * "1=/data/bot/user1;2=/data/bot/user2" (user id = folder).
 */
public final class SyncFolders {

    /** One live folder and the user it belongs to. */
    public record SyncFolder(long userId, String dir) {
    }

    private final List<SyncFolder> folders;

    public SyncFolders(String spec) {
        List<SyncFolder> out = new ArrayList<>();
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new IllegalStateException("ferry.sync.folders entry '" + entry.strip() + "' is not <user id>=<folder>");
            }
            try {
                out.add(new SyncFolder(Long.parseLong(entry.substring(0, eq).strip()), entry.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("ferry.sync.folders entry '" + entry.strip() + "' does not start with a user id");
            }
        }
        this.folders = List.copyOf(out);
    }

    public List<SyncFolder> folders() {
        return folders;
    }
}
