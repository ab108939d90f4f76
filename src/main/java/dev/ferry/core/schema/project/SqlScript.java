package dev.ferry.core.schema.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL file of a version, split into statements on top-level semicolons only: never inside
 * quoted strings (with '' and E'\'' escapes), quoted identifiers, dollar-quoted bodies
 * ($$ … $$, $tag$ … $tag$ of functions and DO blocks) or comments (nested /* *&#47; too). Each
 * statement keeps the line it starts on, so errors point into the file.
 */
public final class SqlScript {

    private static final Pattern IRREVERSIBLE = Pattern.compile("^\\s*--\\s*irreversible:\\s*(.*)$", Pattern.CASE_INSENSITIVE);
    /** A script whose statements run one by one, each in its own short transaction under lock_timeout, retried when they time out. */
    private static final Pattern ONLINE = Pattern.compile("^\\s*--\\s*ferry:\\s*online\\b.*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern OUTSIDE = Pattern.compile(
            "^(create\\s+(unique\\s+)?index\\s+concurrently|drop\\s+index\\s+concurrently|reindex\\b.*\\bconcurrently\\b|reindex\\s+(database|system)\\b|vacuum\\b"
                    + "|create\\s+database\\b|drop\\s+database\\b|create\\s+tablespace\\b|drop\\s+tablespace\\b|alter\\s+system\\b)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TX_CONTROL = Pattern.compile(
            "^(begin|commit|rollback|end|abort|start\\s+transaction|savepoint|release)\\b(?!\\s*\\$)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$");

    private final String file;
    private final String text;
    private final List<SqlStatement> statements;
    private final String irreversibleReason;
    private final boolean online;

    private SqlScript(String file, String text, List<SqlStatement> statements, String irreversibleReason, boolean online) {
        this.file = file;
        this.text = text;
        this.statements = List.copyOf(statements);
        this.irreversibleReason = irreversibleReason;
        this.online = online;
    }

    public static SqlScript parse(String file, String text) {
        String firstLine = text.lines().findFirst().orElse("");
        Matcher m = IRREVERSIBLE.matcher(firstLine);
        String reason = m.matches() ? (m.group(1).isBlank() ? "no reason given" : m.group(1).strip()) : null;
        // the marker may stand on any line of the comment block the script opens with
        boolean online = text.lines().takeWhile(l -> l.isBlank() || l.strip().startsWith("--")).anyMatch(l -> ONLINE.matcher(l).matches());
        return new SqlScript(file, text, split(file, text), reason, online);
    }

    public String file() {
        return file;
    }

    public String text() {
        return text;
    }

    public List<SqlStatement> statements() {
        return statements;
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** The script opens with {@code -- ferry:online}: see {@code OnlinePolicy}. */
    public boolean online() {
        return online;
    }

    public boolean irreversible() {
        return irreversibleReason != null;
    }

    public String irreversibleReason() {
        return irreversibleReason;
    }

    private static List<SqlStatement> split(String file, String s) {
        List<SqlStatement> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            char next = i + 1 < n ? s.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                if (startLine >= 0) {
                    current.append(s, i, end);
                }
                i = end;
                continue;
            }
            if (c == '/' && next == '*') {
                int opened = line;
                int depth = 0;
                int j = i;
                while (j < n) {
                    if (s.startsWith("/*", j)) {
                        depth++;
                        j += 2;
                    } else if (s.startsWith("*/", j)) {
                        depth--;
                        j += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        if (s.charAt(j) == '\n') {
                            line++;
                        }
                        j++;
                    }
                }
                if (depth != 0) {
                    throw new ProjectException(file, opened, "a /* comment that starts here is never closed");
                }
                if (startLine >= 0) {
                    current.append(s, i, j);
                }
                i = j;
                continue;
            }
            if (c == ';') {
                add(file, out, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (c == '\n') {
                    line++;
                }
                if (startLine >= 0) {
                    current.append(c);
                }
                i++;
                continue;
            }
            if (startLine < 0) {
                startLine = line;
            }
            int j;
            if (c == '\'') {
                boolean escapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)) && s.charAt(i - 2) != '_');
                j = closeQuote(file, s, i, '\'', escapes, line);
            } else if (c == '"') {
                j = closeQuote(file, s, i, '"', false, line);
            } else if (c == '$' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '_')) {
                Matcher tag = DOLLAR_TAG.matcher(s).region(i, n);
                if (tag.lookingAt()) {
                    String t = tag.group();
                    int close = s.indexOf(t, i + t.length());
                    if (close < 0) {
                        throw new ProjectException(file, line, "a " + t + " quoted body that starts here is never closed");
                    }
                    j = close + t.length();
                } else {
                    j = i + 1;
                }
            } else {
                j = i + 1;
            }
            for (int k = i; k < j; k++) {
                if (s.charAt(k) == '\n' && k > i) {
                    line++;
                }
            }
            current.append(s, i, j);
            i = j;
        }
        add(file, out, current, startLine);
        return out;
    }

    /** The index just past the closing quote; a doubled quote is an escaped one. */
    private static int closeQuote(String file, String s, int open, char q, boolean backslash, int line) {
        int j = open + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
                continue;
            }
            if (c == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        throw new ProjectException(file, line, (q == '"' ? "a quoted identifier" : "a string") + " that starts here is never closed");
    }

    private static void add(String file, List<SqlStatement> out, StringBuilder current, int startLine) {
        String sql = current.toString().strip();
        if (sql.isEmpty()) {
            return;
        }
        String head = withoutLeadingComments(sql).toLowerCase(Locale.ROOT);
        if (TX_CONTROL.matcher(head).find() && !head.startsWith("begin atomic")) {
            throw new ProjectException(file, startLine, "transaction control (" + head.split("\\s+")[0].toUpperCase(Locale.ROOT)
                    + ") in a version script: each version runs in a transaction Ferry opens; remove BEGIN/COMMIT");
        }
        out.add(new SqlStatement(sql, startLine, OUTSIDE.matcher(head).find()));
    }

    private static String withoutLeadingComments(String sql) {
        String s = sql;
        while (true) {
            s = s.stripLeading();
            if (s.startsWith("--")) {
                int nl = s.indexOf('\n');
                s = nl < 0 ? "" : s.substring(nl + 1);
            } else if (s.startsWith("/*")) {
                int end = s.indexOf("*/");
                s = end < 0 ? "" : s.substring(end + 2);
            } else {
                return s;
            }
        }
    }
}
