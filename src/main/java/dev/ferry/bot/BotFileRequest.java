package dev.ferry.bot;

/**
 * One bot file to import, built once from the caller's headers (FerryFlow, FerryFile,
 * FerryUserId, FerryDryRun) by the import route's receive step, so that every later step
 * takes the request rather than the headers one by one.
 */
public record BotFileRequest(String flow, String file, Long userId, boolean dryRun) {
}
