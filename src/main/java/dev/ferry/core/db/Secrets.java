package dev.ferry.core.db;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of what Ferry prints: JDBC URLs are shown with their password masked, and a
 * password on the command line is refused before anything runs (a command line is visible to
 * every user of the machine in the process list, and stays in the shell history).
 */
public final class Secrets {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]*@");
    private static final Pattern PASSWORD_OPTION = Pattern.compile("(?i)^--?[a-z0-9-]*(password|passwd|pwd)(=.*)?$");

    private Secrets() {
    }

    /** The text with every password a JDBC URL in it could carry (?password=..., //user:password@) masked. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_PASSWORD.matcher(text).replaceAll("$1***");
        return URL_USER_INFO.matcher(out).replaceAll("$1***@");
    }

    /** Why these command-line arguments are refused (without repeating them), or null when none holds a password. */
    public static String onCommandLine(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (PASSWORD_OPTION.matcher(a).matches() || a.toLowerCase(Locale.ROOT).contains("password=") || !redact(a).equals(a)) {
                return "refused: argument " + (i + 1) + " holds a password, and a command line is visible to every user in the "
                        + "process list and stays in the shell history. Give it in FERRY_DB_PASSWORD (FERRY_V2_PASSWORD for v2) "
                        + "or in the file FERRY_DB_PASSWORD_FILE (ferry.v2.password-file) names, and URLs without it";
            }
        }
        return null;
    }
}
