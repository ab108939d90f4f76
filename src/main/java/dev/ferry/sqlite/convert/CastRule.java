package dev.ferry.sqlite.convert;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a cast-rules file:
 * {@code [type /REGEX/] [and name GLOB] [and column TABLE.COLUMN] => TARGET TYPE [using TRANSFORM]}
 * or {@code else => TARGET TYPE}. A regex matches the whole declared type, lower-cased;
 * globs take * and alternatives with |. The target type may name the regex's groups ($1).
 */
public record CastRule(String source, int line, Pattern type, Pattern name, Pattern table, Pattern column, String targetType,
                       Transform transform) {

    private static final Pattern LINE = Pattern.compile("^(.+?)\\s*=>\\s*(.+?)(?:\\s+using\\s+(\\w+))?\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONDITION = Pattern.compile(
            "\\s*(?:(type)\\s+/(.*?)/|(name)\\s+(\\S+)|(column)\\s+(\\S+)\\.(\\S+)|(else))\\s*(?:\\band\\b|$)", Pattern.CASE_INSENSITIVE);

    public static CastRule parse(String source, int line, String text) {
        Matcher m = LINE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(source + ":" + line + ": expected 'CONDITIONS => TYPE [using TRANSFORM]', got: " + text);
        }
        Pattern type = null;
        Pattern name = null;
        Pattern table = null;
        Pattern column = null;
        Matcher c = CONDITION.matcher(m.group(1));
        int at = 0;
        while (at < m.group(1).length()) {
            if (!c.find(at) || c.start() != at) {
                throw new IllegalArgumentException(source + ":" + line + ": cannot read the condition '" + m.group(1).substring(at)
                        + "' (type /regex/, name glob, column table.column, else; joined with 'and')");
            }
            if (c.group(1) != null) {
                type = Pattern.compile(c.group(2), Pattern.CASE_INSENSITIVE);
            } else if (c.group(3) != null) {
                name = glob(c.group(4));
            } else if (c.group(5) != null) {
                table = glob(c.group(6));
                column = glob(c.group(7));
            }
            at = c.end();
        }
        Transform t = m.group(3) == null ? null : Transform.named(m.group(3));
        return new CastRule(source, line, type, name, table, column, m.group(2).strip(), t);
    }

    /** The target type for this column, or null when the rule does not apply. */
    public String match(String tableName, String columnName, String declaredType) {
        String declared = declaredType.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher tm = null;
        if (type != null) {
            tm = type.matcher(declared);
            if (!tm.matches()) {
                return null;
            }
        }
        if (name != null && !name.matcher(columnName).matches()) {
            return null;
        }
        if (table != null && !(table.matcher(tableName).matches() && column.matcher(columnName).matches())) {
            return null;
        }
        String target = targetType;
        if (tm != null) {
            for (int g = tm.groupCount(); g >= 1; g--) {
                target = target.replace("$" + g, tm.group(g) == null ? "" : tm.group(g));
            }
        }
        return target;
    }

    public String where() {
        return source + ":" + line;
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (String alt : glob.split("\\|")) {
            if (!re.isEmpty()) {
                re.append('|');
            }
            re.append(Pattern.quote(alt).replace("*", "\\E.*\\Q"));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
