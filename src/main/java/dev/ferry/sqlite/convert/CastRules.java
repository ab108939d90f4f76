package dev.ferry.sqlite.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered cast rules: the user's file first, then Ferry's defaults, whose last
 * rule is the catch-all. The first rule that matches a column decides its type.
 */
public final class CastRules {

    private final List<CastRule> rules;

    public CastRules(List<CastRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** config/mappings/sqlite-cast-rules.conf (the user's, may be absent) before sqlite-default-cast-rules.conf. */
    public static CastRules load(Path mappingsDir) {
        List<CastRule> all = new ArrayList<>(read(mappingsDir, "sqlite-cast-rules.conf", false));
        all.addAll(read(mappingsDir, "sqlite-default-cast-rules.conf", true));
        return new CastRules(all);
    }

    public static List<CastRule> parse(String source, String text) {
        List<CastRule> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            out.add(CastRule.parse(source, i + 1, l));
        }
        return out;
    }

    private static List<CastRule> read(Path dir, String name, boolean required) {
        Path onDisk = dir.resolve(name);
        try {
            if (Files.isRegularFile(onDisk)) {
                return parse(onDisk.toString(), Files.readString(onDisk, StandardCharsets.UTF_8));
            }
            try (InputStream in = CastRules.class.getClassLoader().getResourceAsStream("config/mappings/" + name)) {
                if (in == null) {
                    if (required) {
                        throw new IllegalStateException("cast rules " + name + " are neither in " + dir + " nor in the jar");
                    }
                    return List.of();
                }
                return parse("jar:config/mappings/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cast rules " + onDisk + ": " + e.getMessage(), e);
        }
    }

    /** The first matching rule's decision for a column. */
    public Decision decide(String table, String column, String declaredType) {
        for (CastRule r : rules) {
            String target = r.match(table, column, declaredType);
            if (target != null) {
                TargetKind kind = TargetKind.of(target);
                return new Decision(target, kind, r.transform() != null ? r.transform() : Transform.defaultFor(kind), r.where());
            }
        }
        throw new IllegalStateException("no cast rule matches " + table + "." + column + " (" + declaredType
                + "): the default rules end with 'else => text'");
    }

    public List<CastRule> rules() {
        return rules;
    }

    /** A column's target type, how its values are read, and the rule (file:line) that said so. */
    public record Decision(String targetType, TargetKind kind, Transform transform, String rule) {
    }
}
