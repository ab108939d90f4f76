package dev.ferry.core.schema.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** `ferry schema new`: the next version's folder with its three files, ready to be written. */
public final class Scaffold {

    private static final Pattern FOLDER = Pattern.compile("(\\d+(?:\\.\\d+)*)__.*");

    private Scaffold() {
    }

    public static Path newVersion(Path dir, String name, String at) {
        String clean = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        if (!clean.matches("[a-z0-9_]+")) {
            throw new ProjectException(String.valueOf(name), "a version's name may hold letters, digits and _ only (e.g. add_volume_index)");
        }
        Version latest = null;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(Files::isDirectory).toList()) {
                    Matcher m = FOLDER.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        Version v = Version.parse(m.group(1));
                        if (at != null && v.equals(Version.parse(at))) {
                            throw new ProjectException(p.toString(), "version " + at + " exists already");
                        }
                        latest = latest == null || v.compareTo(latest) > 0 ? v : latest;
                    }
                }
            }
            Version v = at != null ? Version.parse(at) : latest == null ? Version.parse("1.0.0") : latest.nextMinor();
            Path folder = dir.resolve(v + "__" + clean);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("up.sql"), "-- " + v + " " + clean + ": the change, run in one transaction (CREATE INDEX CONCURRENTLY runs on its own)\n");
            Files.writeString(folder.resolve("down.sql"), "-- undo exactly what up.sql does, in reverse order (`ferry schema test` checks it);\n"
                    + "-- or, if it cannot be undone, make the first line: -- irreversible: <why>\n");
            Files.writeString(folder.resolve("verify.sql"), "-- queries that return true (or at least one row not false) only when " + v + " is in place\n");
            return folder;
        } catch (IOException e) {
            throw new ProjectException(dir.toString(), "cannot create the version folder: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProjectException(String.valueOf(at), e.getMessage());
        }
    }
}
