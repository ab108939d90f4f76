package dev.ferry.core.schema.project;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of versions, {@code <version>__<description>/} each with up.sql, down.sql and
 * verify.sql (and an optional backfill.properties), in semantic-version order: 1.10.0 after
 * 1.9.0. Everything wrong with it is found when it is read, before anything runs.
 */
public final class SchemaProject {

    private static final Pattern FOLDER = Pattern.compile("(\\d+(?:\\.\\d+)*)__([A-Za-z0-9_]+)");
    public static final String BACKFILL = "backfill.properties";

    /** Reads one file of a version folder; null when it is not there. */
    @FunctionalInterface
    private interface Files3 {
        byte[] read(String folder, String file) throws IOException;
    }

    private final String name;
    private final String location;
    private final List<ProjectVersion> versions;

    private SchemaProject(String name, String location, List<ProjectVersion> versions) {
        this.name = name;
        this.location = location;
        this.versions = List.copyOf(versions);
    }

    public static SchemaProject load(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new ProjectException(abs.toString(), "no such project folder");
        }
        List<String> folders = new ArrayList<>();
        try (Stream<Path> s = Files.list(abs)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(folders::add);
        } catch (IOException e) {
            throw new ProjectException(abs.toString(), "cannot list the project folder: " + e.getMessage());
        }
        String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        return build(name, abs.toString(), folders, (folder, file) -> {
            Path p = abs.resolve(folder).resolve(file);
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        });
    }

    /** A project inside the jar: {@code base/versions.txt} lists its folders, one per line. */
    public static SchemaProject classpath(String name, String base) {
        ClassLoader cl = SchemaProject.class.getClassLoader();
        byte[] index = resource(cl, base + "/versions.txt");
        if (index == null) {
            throw new ProjectException(base + "/versions.txt", "not on the class path");
        }
        List<String> folders = new String(index, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        return build(name, "classpath:" + base, folders, (folder, file) -> resource(cl, base + "/" + folder + "/" + file));
    }

    private static byte[] resource(ClassLoader cl, String name) {
        try (InputStream in = cl.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new ProjectException(name, "cannot read: " + e.getMessage());
        }
    }

    private static SchemaProject build(String name, String location, List<String> folders, Files3 files) {
        List<ProjectVersion> versions = new ArrayList<>();
        Map<Version, String> seen = new HashMap<>();
        for (String folder : folders) {
            Matcher m = FOLDER.matcher(folder);
            if (!m.matches()) {
                throw new ProjectException(location + "/" + folder, "not a version folder: its name must be <version>__<description>, "
                        + "the version digits separated by dots and the description letters, digits and _ (e.g. 1.2.0__add_volume_index)");
            }
            Version v;
            try {
                v = Version.parse(m.group(1));
            } catch (IllegalArgumentException e) {
                throw new ProjectException(location + "/" + folder, e.getMessage());
            }
            String other = seen.putIfAbsent(v, folder);
            if (other != null) {
                throw new ProjectException(location + "/" + folder, "version " + v + " is also " + other + ": each version needs one folder");
            }
            versions.add(version(folder, v, m.group(2), files, location));
        }
        if (versions.isEmpty()) {
            throw new ProjectException(location, "holds no version folders (<version>__<description>/ with up.sql, down.sql and verify.sql); "
                    + "`ferry schema new` makes the first");
        }
        versions.sort(Comparator.comparing(ProjectVersion::version));
        return new SchemaProject(name, location, versions);
    }

    private static ProjectVersion version(String folder, Version v, String description, Files3 files, String location) {
        Map<String, byte[]> content = new HashMap<>();
        try {
            for (String f : List.of("up.sql", "down.sql", "verify.sql", BACKFILL)) {
                byte[] b = files.read(folder, f);
                if (b == null && !f.equals(BACKFILL)) {
                    throw new ProjectException(location + "/" + folder, "has no " + f + " (every version needs up.sql, down.sql and verify.sql)");
                }
                if (b != null) {
                    content.put(f, b);
                }
            }
        } catch (IOException e) {
            throw new ProjectException(location + "/" + folder, "cannot read: " + e.getMessage());
        }
        SqlScript up = SqlScript.parse(folder + "/up.sql", text(content.get("up.sql")));
        SqlScript down = SqlScript.parse(folder + "/down.sql", text(content.get("down.sql")));
        SqlScript verify = SqlScript.parse(folder + "/verify.sql", text(content.get("verify.sql")));
        if (up.isEmpty()) {
            throw new ProjectException(folder + "/up.sql", "is empty: a version must change something");
        }
        if (down.isEmpty() && !down.irreversible()) {
            throw new ProjectException(folder + "/down.sql", "is empty: write the statements that undo up.sql, or make its first line "
                    + "`-- irreversible: <why>` if it cannot be undone");
        }
        Backfill backfill = content.containsKey(BACKFILL) ? Backfill.parse(folder + "/" + BACKFILL, text(content.get(BACKFILL))) : null;
        return new ProjectVersion(v, description, folder, up, down, verify, backfill, checksum(content.get("up.sql"), content.get(BACKFILL)));
    }

    private static String text(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String checksum(byte[] up, byte[] backfill) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(up);
            if (backfill != null) {
                md.update((byte) 0);
                md.update(backfill);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public String location() {
        return location;
    }

    public List<ProjectVersion> versions() {
        return versions;
    }

    public Optional<ProjectVersion> find(Version v) {
        return versions.stream().filter(pv -> pv.version().equals(v)).findFirst();
    }

    public Optional<ProjectVersion> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }
}
