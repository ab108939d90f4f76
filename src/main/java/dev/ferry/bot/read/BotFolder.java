package dev.ferry.bot.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A bot's whole data folder, in the order its files must load: trades first (their
 * broker ids make pending orders duplicates), then pending orders, paper orders,
 * holdings, and last the transactions that fill the paper orders. Paper files sit in
 * paper_trading/ or paper_trading/user_&lt;id&gt;/. The files are only read, never moved.
 */
public final class BotFolder {

    /** One file to import and the flow that reads it. */
    public record BotFile(String flow, String path) {
    }

    private static final String[][] ORDER = {
        {"", "trades_history", "trades_history"},
        {"", "pending_orders", "pending_orders"},
        {"paper_trading", "orders", "paper_orders"},
        {"paper_trading", "holdings", "holdings"},
        {"paper_trading", "transactions", "transactions"},
    };

    public List<BotFile> filesInOrder(String dataDir, Long userId) throws IOException {
        Path root = Path.of(dataDir).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no such data folder: " + root);
        }
        List<BotFile> out = new ArrayList<>();
        for (String[] step : ORDER) {
            List<Path> dirs = new ArrayList<>();
            dirs.add(root.resolve(step[0]));
            if (!step[0].isEmpty() && userId != null) {
                dirs.add(root.resolve(step[0]).resolve("user_" + userId));
            }
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(step[1])
                                    && f.getFileName().toString().endsWith(".json"))
                            .sorted()
                            .forEach(f -> out.add(new BotFile(step[2], f.toString())));
                }
            }
        }
        return out;
    }
}
