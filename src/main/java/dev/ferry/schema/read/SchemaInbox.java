package dev.ferry.schema.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.project.ProjectException;
import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.schema.SchemaChanges;
import dev.ferry.schema.report.SchemaReports;
import dev.ferry.settings.FerrySettings;

/**
 * Folders dropped into inbox/schema/: a whole project, or one new version of the project named
 * by ferry.schema.inbox.project. Each is checked (the round-trip test and the dry run of its
 * migration), applied only when ferry.schema.inbox.apply=true, then moved to done/schema/ or
 * error/schema/ with its reports beside it.
 */
public final class SchemaInbox {

    private static final Pattern VERSION_FOLDER = Pattern.compile("\\d+(\\.\\d+)*__[A-Za-z0-9_]+");

    /** One dropped folder on its way through the stages. */
    public static final class Drop {
        private final Path folder;
        private final List<SchemaResult> results = new ArrayList<>();
        private SchemaProject project;
        private Path scratchCopy;
        private boolean oneVersion;

        Drop(Path folder) {
            this.folder = folder;
        }

        public Path getFolder() {
            return folder;
        }

        public List<SchemaResult> getResults() {
            return results;
        }

        public boolean ok() {
            return project != null && results.stream().allMatch(SchemaResult::ok);
        }
    }

    private final FerrySettings settings;
    private final SchemaChanges changes;
    private final SchemaReports reports;

    public SchemaInbox(FerrySettings settings, SchemaChanges changes, SchemaReports reports) {
        this.settings = settings;
        this.changes = changes;
        this.reports = reports;
    }

    private Path inbox() {
        return settings.inbox().resolve("schema");
    }

    /** Receive: the dropped folders whose files have stopped changing (a half-copied project is never read). */
    public List<Drop> ready() throws IOException {
        Path in = inbox();
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        long quiet = Long.parseLong(settings.string("ferry.inbox.write-complete-ms", "2000"));
        List<Drop> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(in)) {
            for (Path dir : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                if (Instant.now().toEpochMilli() - newest(dir) >= quiet) {
                    out.add(new Drop(dir));
                }
            }
        }
        return out;
    }

    /** Plan: a version folder joins a copy of the configured project; any other folder is a project of its own. */
    public Drop plan(Drop d) throws IOException {
        d.oneVersion = VERSION_FOLDER.matcher(d.folder.getFileName().toString()).matches() && Files.isRegularFile(d.folder.resolve("up.sql"));
        String link = firstLink(d.folder);
        if (link != null) {
            d.results.add(new SchemaResult("check", d.folder.getFileName().toString(), d.folder.toString(), true).refuse(link).finish());
            return d;
        }
        try {
            if (d.oneVersion) {
                Path base = baseProject();
                d.scratchCopy = Files.createTempDirectory("ferry-schema-inbox-").resolve(base.getFileName().toString());
                copy(base, d.scratchCopy);
                copy(d.folder, d.scratchCopy.resolve(d.folder.getFileName().toString()));
                d.project = SchemaProject.load(d.scratchCopy);
            } else {
                d.project = SchemaProject.load(d.folder);
            }
        } catch (ProjectException e) {
            d.results.add(new SchemaResult("check", d.folder.getFileName().toString(), d.folder.toString(), true).refuse(e.getMessage()).finish());
        }
        return d;
    }

    /** Test: the round trip of every version on a scratch database. */
    public Drop test(Drop d) {
        if (d.project != null) {
            d.results.add(engine().test(d.project));
        }
        return d;
    }

    /** Dry run: the SQL the migration of the target would run. */
    public Drop dryRun(Drop d) {
        if (d.project != null) {
            d.results.add(engine().migrate(d.project, null, true, false));
        }
        return d;
    }

    /** Load: applies the drop only when ferry.schema.inbox.apply=true and the checks passed. */
    public Drop apply(Drop d) throws IOException {
        if (!Boolean.parseBoolean(settings.string("ferry.schema.inbox.apply", "false")) || !d.ok()) {
            return d;
        }
        SchemaProject target = d.project;
        if (d.oneVersion) {
            Path into = baseProject().resolve(d.folder.getFileName().toString());
            if (!Files.exists(into)) {
                copy(d.folder, into);
            }
            target = SchemaProject.load(baseProject());
        }
        d.results.add(engine().migrate(target, null, false, false));
        return d;
    }

    /** Report: the folder moves to done/schema or error/schema, each result's JSON and HTML beside it. Returns where it went. */
    public String finish(Drop d) throws IOException {
        Path dest = (d.ok() ? settings.doneDir() : settings.errorDir()).resolve("schema");
        Files.createDirectories(dest);
        String name = d.folder.getFileName().toString();
        Path moved = dest.resolve(name);
        if (Files.exists(moved)) {
            name = name + "-" + System.currentTimeMillis();
            moved = dest.resolve(name);
        }
        // the reports first: once the folder has left the inbox, its reports are there to read
        for (SchemaResult r : d.results) {
            reports.write(r, dest, name + ".schema-" + r.getCommand() + (r.isDryRun() ? "-dry-run" : ""));
        }
        try {
            Files.move(d.folder, moved, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            // done/ on another file system: copy, then remove the drop, so it is never checked twice
            copy(d.folder, moved);
            delete(d.folder);
        }
        if (d.scratchCopy != null) {
            delete(d.scratchCopy.getParent());
        }
        return moved.toString();
    }

    private SchemaEngine engine() {
        String target = settings.string("ferry.schema.inbox.target", "");
        return changes.engine(target.isBlank() ? null : target);
    }

    private Path baseProject() {
        return Path.of(settings.string("ferry.schema.inbox.project", "config/schema/trading-system")).toAbsolutePath();
    }

    /**
     * Why a dropped folder must not be read, when it holds a symbolic link: an up.sql that leads
     * out of the inbox would run SQL that nobody dropped there. Null when it holds none.
     */
    private static String firstLink(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isSymbolicLink(p)) {
                    return dir.getFileName() + "/" + dir.relativize(p) + " is a symbolic link (to " + Files.readSymbolicLink(p)
                            + "): a dropped project is read only from its own files, never where a link leads; refused, nothing was run";
                }
            }
        }
        return null;
    }

    private static long newest(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> {
                try {
                    return Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max().orElse(0);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
