package dev.ferry.portfolio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * One portfolio command as every entry point asks for it (CLI, JMX, a request file in
 * inbox/portfolio/).
 *
 * @param target  the dashboard's database (jdbc:postgresql URL); null means ferry.portfolio.url
 * @param confirm phase2 and rollback change what the application can do: they run only confirmed
 * @param to      rollback only: the version to go back to, 1.0.0 (null) or 2.0.0
 */
public record PortfolioRequest(String command, String target, boolean dryRun, boolean confirm, String to) {

    public PortfolioRequest(String command, String target, boolean dryRun, boolean confirm) {
        this(command, target, dryRun, confirm, null);
    }

    public static final Set<String> COMMANDS = Set.of("check", "phase1", "phase2", "rollback");
    private static final Set<String> FIELDS = Set.of("command", "confirm", "dry_run", "to");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    /**
     * A request file: {"command": "check"} or {"command": "phase1", "confirm": true} (optional
     * "dry_run", and "to" for a rollback). A file without a command is a check. An unknown field refuses the whole request,
     * so a misspelt "dryrun" never runs a phase for real; the database is always the configured one.
     */
    public static PortfolioRequest read(String file) {
        Path p = Path.of(file);
        JsonNode n;
        try {
            byte[] bytes = Files.readAllBytes(p);
            if (bytes.length == 0) {
                throw new IllegalArgumentException(p.getFileName() + " is empty: write {\"command\": \"check\"} (or phase1, phase2, rollback with \"confirm\": true)");
            }
            n = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(p.getFileName() + " is not a JSON request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p.getFileName() + ": " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(p.getFileName() + " must hold one JSON object, e.g. {\"command\": \"check\"}");
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(p.getFileName() + ": unknown field \"" + f + "\" (known: " + String.join(", ", FIELDS.stream().sorted().toList())
                        + "); nothing was run");
            }
        });
        String command = n.hasNonNull("command") ? n.get("command").asText() : "check";
        if (!COMMANDS.contains(command)) {
            // the command names the report's file too: "../phase2" must go no further than this
            throw new IllegalArgumentException(p.getFileName() + ": unknown \"command\" " + n.get("command") + " (known: "
                    + String.join(", ", COMMANDS.stream().sorted().toList()) + "); nothing was run");
        }
        JsonNode to = n.get("to");
        if (to != null && !to.isNull() && !to.isTextual()) {
            throw new IllegalArgumentException(p.getFileName() + ": \"to\" must be a version such as \"2.0.0\", not " + to + "; nothing was run");
        }
        return new PortfolioRequest(command, null, bool(p, n, "dry_run"), bool(p, n, "confirm"), to == null || to.isNull() ? null : to.asText());
    }

    private static boolean bool(Path p, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(p.getFileName() + ": \"" + field + "\" must be true or false, not " + v + "; nothing was run");
        }
        return v.booleanValue();
    }
}
