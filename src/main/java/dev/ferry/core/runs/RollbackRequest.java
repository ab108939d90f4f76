package dev.ferry.core.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;

/**
 * A rollback asked for by a file dropped into inbox/rollback/, carrying the same confirmation
 * as the CLI: {"run": 12, "confirm": "DELETE"} or {"user_id": 1, "trades": true, "pending": true,
 * "paper": false, "confirm": "DELETE"}; "dry_run" and "force" are optional. A request that says
 * neither run nor user_id, says it badly, names a field twice or names an unknown one, is refused
 * with a message naming the field.
 */
public record RollbackRequest(Long runId, Long userId, boolean trades, boolean pending, boolean paper, boolean dryRun, boolean force,
                              String confirm) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
    private static final Set<String> FIELDS = Set.of("run", "user_id", "trades", "pending", "paper", "dry_run", "force", "confirm");

    /** Reads a request file; bad content becomes an IllegalArgumentException that names the file and field. */
    public static RollbackRequest read(String path) {
        String name = Path.of(path).getFileName().toString();
        JsonNode n;
        try {
            String text = Files.readString(Path.of(path));
            if (text.isBlank()) {
                throw new IllegalArgumentException(name + ": the request is empty; write e.g. {\"run\": 12, \"confirm\": \"DELETE\"}");
            }
            n = JSON.readTree(text);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(name + ": the request is not UTF-8 text (UTF-16, or another encoding); write it as UTF-8, "
                    + "e.g. {\"run\": 12, \"confirm\": \"DELETE\"}");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": not a JSON rollback request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read the request: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(name + ": a rollback request is a JSON object, e.g. {\"run\": 12, \"confirm\": \"DELETE\"}");
        }
        // a misspelt field ("dryrun") must not turn a dry run into a real one: anything unknown refuses the request
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(name + ": unknown field \"" + f + "\" (known: " + String.join(", ", FIELDS.stream().sorted().toList())
                        + "); nothing was rolled back");
            }
        }
        Long run = id(n, "run", name);
        Long user = id(n, "user_id", name);
        if ((run == null) == (user == null)) {
            throw new IllegalArgumentException(name + ": give either \"run\" or \"user_id\", not " + (run == null ? "neither" : "both"));
        }
        return new RollbackRequest(run, user, flag(n, "trades", true, name), flag(n, "pending", true, name), flag(n, "paper", true, name),
                flag(n, "dry_run", false, name), flag(n, "force", false, name), n.hasNonNull("confirm") ? n.get("confirm").asText() : null);
    }

    /** The result of a request that could not be read: refused, with the reason, like any refused run. */
    public static RunResult refused(String path, Throwable why) {
        return new RunResult(RunRollback.FLOW, Path.of(path).getFileName().toString(), null, false).finish(RunStatus.REFUSED, reason(why));
    }

    /**
     * The refusal's own words: a route's bean call wraps them in "Failed to invoke method: read(...)
     * on null due to: java.lang.IllegalArgumentException: ...", which is Camel's, not the user's.
     */
    public static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return e.getMessage();
    }

    public boolean byRun() {
        return runId != null;
    }

    private static Long id(JsonNode n, String field, String name) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(name + ": field " + field + " must be a whole number, got " + v);
        }
        return v.asLong();
    }

    private static boolean flag(JsonNode n, String field, boolean absent, String name) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(name + ": field " + field + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
