package dev.ferry.bot.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.core.report.RunResult;
import dev.ferry.settings.FerrySettings;

/**
 * What a file's place in the inbox says (inbox/user_&lt;id&gt;/...), the key that
 * recognises the same content dropped again, and where the file goes afterwards.
 */
public final class InboxFiles {

    /** File-name prefixes, longest first so that no prefix hides another. */
    private static final String[] FLOWS = {"trades_history", "pending_orders"};
    private static final Pattern USER_DIR = Pattern.compile("(?:^|[/\\\\])user_(\\d{1,18})[/\\\\]");

    private final FerrySettings settings;

    public InboxFiles(FerrySettings settings) {
        this.settings = settings;
    }

    /** The user id named by the first user_&lt;id&gt; folder of the path, or null. */
    public Long userId(String path) {
        Matcher m = USER_DIR.matcher(path);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /**
     * The flow a file belongs to, from its name: trades_history-2025-10-27.json is
     * trades_history, paper_trading/orders.json is paper_orders.
     */
    public String flowOf(String path) {
        Path p = Path.of(path);
        String name = p.getFileName().toString();
        Path parent = p.getParent();
        if (parent != null && parent.getFileName().toString().equals("paper_trading")) {
            if (name.startsWith("orders") && name.endsWith(".json")) {
                return "paper_orders";
            }
            if (name.startsWith("holdings") && name.endsWith(".json")) {
                return "holdings";
            }
            if (name.startsWith("transactions") && name.endsWith(".json")) {
                return "transactions";
            }
            throw new IllegalArgumentException("no flow reads paper_trading files named " + name);
        }
        for (String flow : FLOWS) {
            if (name.startsWith(flow) && name.endsWith(".json")) {
                return flow;
            }
        }
        throw new IllegalArgumentException("no flow reads files named " + name);
    }

    /**
     * The idempotency key of a file: its user, its flow and the SHA-256 of its content. A file the
     * inbox reaches only through a symbolic link is not read even for its hash: its key is one no
     * content has, and the import refuses it.
     */
    public String fileKey(String flow, String path, Long userId) throws IOException {
        if (throughLink(settings.inbox(), Path.of(path)).isPresent()) {
            return "user:" + userId + ":" + flow + ":not-read:" + Path.of(path).toAbsolutePath().normalize();
        }
        return "user:" + userId + ":" + flow + ":sha256:" + sha256(Path.of(path));
    }

    /**
     * Why a file in the inbox must not be read, when the inbox holds only a symbolic link to it (or
     * to a folder on its way): the link may lead out of the inbox, or into another user's folder,
     * and the bytes it leads to are not the ones dropped there. Empty for a file outside the inbox
     * (a CLI import names whatever file its user chose) and for a plain file in it.
     */
    public static Optional<String> throughLink(Path inbox, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path in = inbox.toAbsolutePath().normalize();
        if (!abs.startsWith(in) || !Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String to;
        try {
            Path real = abs.toRealPath();
            if (real.equals(in.toRealPath().resolve(in.relativize(abs)))) {
                return Optional.empty();
            }
            to = real.toString();
        } catch (IOException e) {
            to = "nothing readable: " + e.getMessage();
        }
        return Optional.of(in.relativize(abs) + " is a symbolic link (to " + to + "): Ferry reads only files that are themselves in "
                + "the inbox, never where a link leads; refused, nothing was read");
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // the digest stream sees every byte
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The absolute path the file moves to: the done folder when all its records are
     * accounted for (loaded, duplicate or rejected), else the error folder; the
     * user_&lt;id&gt; sub-folders are kept and an existing file is never overwritten.
     */
    public String destination(RunResult result, String relativePath) {
        Path base = result.getStatus().accepted() ? settings.doneDir() : settings.errorDir();
        Path target = base.resolve(relativePath).normalize();
        if (Files.exists(target)) {
            String name = target.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String suffix = "-run" + result.getRunId();
            name = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
            target = target.resolveSibling(name);
        }
        return target.toString();
    }
}
