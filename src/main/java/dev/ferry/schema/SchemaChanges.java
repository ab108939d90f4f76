package dev.ferry.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ferry.core.db.Database;
import dev.ferry.core.schema.FerrySchema;
import dev.ferry.core.schema.OnlinePolicy;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaException;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.SchemaTarget;
import dev.ferry.core.schema.project.ProjectException;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.settings.FerrySettings;

/**
 * The schema flow's stages as the route calls them: receive (the request from the headers),
 * plan (read and check the project folder) and apply (the command on the engine). The target's
 * user and password come from Ferry's own settings (FERRY_DB_USER, FERRY_DB_PASSWORD or its
 * file), never from a URL typed on a command line.
 */
public final class SchemaChanges {

    static final Set<String> COMMANDS = Set.of("status", "migrate", "undo", "verify", "history", "diff", "test", "new");

    private final FerrySettings settings;

    public SchemaChanges(FerrySettings settings) {
        this.settings = settings;
    }

    /** Receive: the headers every entry point sends, as one request. */
    public SchemaRequest request(String command, String project, String target, String to, Boolean dryRun, Boolean rebaseline,
                                 String name, String confirm) {
        return new SchemaRequest(command, project, blank(target) ? null : target, blank(to) ? null : to, Boolean.TRUE.equals(dryRun),
                Boolean.TRUE.equals(rebaseline), blank(name) ? null : name, confirm);
    }

    /** Plan: the project read from its folder (or the class path for {@code ferry}); a bad folder refuses, naming the file and line. */
    public SchemaPlan plan(SchemaRequest r) {
        String label = r.project() == null ? "(no project)" : r.project();
        if (r.command() == null || !COMMANDS.contains(r.command())) {
            return refused(r, label, "unknown schema command " + r.command() + "; one of " + String.join(", ", COMMANDS.stream().sorted().toList()));
        }
        if (blank(r.project())) {
            return refused(r, label, "a project is required (--project DIR, or ferry for Ferry's own schema)");
        }
        if (r.target() != null && r.target().toLowerCase().contains("password=")) {
            return refused(r, label, "the target URL holds a password: give it in FERRY_DB_PASSWORD or the file FERRY_DB_PASSWORD_FILE names, "
                    + "so it never shows in a process list or a log");
        }
        if ("undo".equals(r.command()) && !r.dryRun() && !SchemaRequest.UNDO_CONFIRMATION.equals(r.confirm())) {
            return refused(r, label, "undo runs the versions' down.sql, which drops what they made, data included: confirm with "
                    + SchemaRequest.UNDO_CONFIRMATION + " (--confirm UNDO), or look first with --dry-run");
        }
        if ("new".equals(r.command())) {
            return new SchemaPlan(r, null, null);
        }
        try {
            return new SchemaPlan(r, project(r.project()), null);
        } catch (ProjectException | SchemaException e) {
            return refused(r, label, e.getMessage());
        }
    }

    /** Apply: the command itself; every outcome, refusals included, is a result. */
    public SchemaResult run(SchemaPlan plan) {
        if (plan.refused() != null) {
            return plan.refused();
        }
        SchemaRequest r = plan.request();
        try {
            if ("new".equals(r.command())) {
                if (blank(r.name())) {
                    return refused(r, r.project(), "new needs the version's NAME, e.g. ferry schema new --project DIR add_volume_index").refused();
                }
                return SchemaEngine.scaffold(Path.of(r.project()), r.name(), r.to());
            }
            SchemaEngine engine = engine(r.target());
            SchemaProject project = plan.project();
            return switch (r.command()) {
                case "status" -> engine.status(project);
                case "migrate" -> engine.migrate(project, r.to(), r.dryRun(), r.rebaseline());
                case "undo" -> engine.undo(project, r.to(), r.dryRun(), r.rebaseline());
                case "verify" -> engine.verify(project);
                case "history" -> engine.history(project);
                case "diff" -> engine.diff(project);
                case "test" -> engine.test(project);
                default -> throw new IllegalStateException(r.command());
            };
        } catch (ProjectException | SchemaException | IllegalArgumentException e) {
            return refused(r, r.project(), e.getMessage()).refused();
        }
    }

    /** The requests of the scheduled check: verify and diff of each project in ferry.schema.verify.projects. */
    public List<SchemaRequest> scheduled() {
        List<SchemaRequest> out = new ArrayList<>();
        for (String p : settings.string("ferry.schema.verify.projects", "").split(",")) {
            if (!p.isBlank()) {
                out.add(SchemaRequest.of("verify", p.strip()));
                out.add(SchemaRequest.of("diff", p.strip()));
            }
        }
        return out;
    }

    public SchemaEngine engine(String targetUrl) {
        String url = targetUrl == null ? settings.dbUrl() : targetUrl;
        return new SchemaEngine(new SchemaTarget(url, settings.dbUser(), settings.dbPassword().orElse(null)), lockWait())
                .withOnline(new OnlinePolicy(Duration.ofMillis(Long.parseLong(settings.string("ferry.schema.online.lock-timeout-ms", "500"))),
                        Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.online.max-wait-seconds", "300")))));
    }

    Duration lockWait() {
        return Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.lock-wait-seconds", "60")));
    }

    /** {@code ferry} is the built-in project; anything else is a folder. */
    public static SchemaProject project(String name) {
        if (FerrySchema.NAME.equals(name)) {
            return FerrySchema.project();
        }
        Path dir = Path.of(name);
        if (!Files.isDirectory(dir)) {
            throw new SchemaException("no such project folder: " + dir.toAbsolutePath());
        }
        return SchemaProject.load(dir);
    }

    private SchemaPlan refused(SchemaRequest r, String project, String why) {
        String target = Database.masked(r.target() == null ? settings.string("ferry.db.url", "(FERRY_DB_URL)") : r.target());
        return new SchemaPlan(r, null, new SchemaResult(r.command() == null ? "schema" : r.command(), project, target, r.dryRun())
                .refuse(why).finish());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
