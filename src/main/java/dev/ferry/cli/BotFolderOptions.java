package dev.ferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options of the commands that work on a bot's whole data folder (migrate, validate). */
final class BotFolderOptions {

    @Option(names = "--data-dir", required = true, description = "the bot's data folder")
    Path dataDir;

    @Option(names = "--user-id", required = true, description = "id of the user in trading.users the folder belongs to")
    long userId;

    /** The folder's absolute path, or null after telling the user it does not exist. */
    String existingDir() {
        if (!Files.isDirectory(dataDir)) {
            System.err.println("ferry: no such data folder: " + dataDir);
            return null;
        }
        return dataDir.toAbsolutePath().toString();
    }
}
