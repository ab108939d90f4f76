package dev.ferry.core.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may operate through the management server, read from its users file. Camel's basic
 * authentication only checks a password; the lines have room for roles after it, in the same
 * format Vert.x reads them ({@code user.<name>=<password>,<role>,...}): a user whose roles are
 * {@code viewer} and not {@code operator} may read (Jolokia read, list, search, version, and the
 * metrics) but not execute an operation or write an attribute. A user without roles is an
 * operator, so a users file written before roles existed keeps working as it did.
 */
public final class ManagementRoles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    /** The Jolokia commands that change nothing; everything else (exec, write, a POST of any of them) operates. */
    private static final Set<String> READS = Set.of("", "read", "list", "search", "version");

    private record Account(byte[] password, Set<String> roles) {
    }

    private final Map<String, Account> accounts;

    private ManagementRoles(Map<String, Account> accounts) {
        this.accounts = accounts;
    }

    public static ManagementRoles load(Path usersFile) {
        try {
            Map<String, Account> out = new HashMap<>();
            for (String raw : Files.readAllLines(usersFile, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                int eq = line.indexOf('=');
                if (!line.startsWith("user.") || eq < 0) {
                    continue;
                }
                String[] parts = line.substring(eq + 1).split(",");
                Set<String> roles = Arrays.stream(parts).skip(1).map(String::strip).filter(r -> !r.isEmpty())
                        .map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
                out.put(line.substring("user.".length(), eq).strip(), new Account(parts[0].strip().getBytes(StandardCharsets.UTF_8), roles));
            }
            return new ManagementRoles(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the management server's users file " + usersFile, e);
        }
    }

    public boolean anyViewer() {
        return accounts.values().stream().anyMatch(ManagementRoles::readOnly);
    }

    private static boolean readOnly(Account a) {
        return a.roles().contains(VIEWER) && !a.roles().contains(OPERATOR);
    }

    /**
     * Why this request is refused to its (correctly authenticated) read-only user, or null to let
     * it through: a wrong password or an unknown user is left to Camel's authentication, which
     * answers 401. Viewers read with GET; a POST is refused whatever its body says, since Jolokia's
     * POST carries exec and write as well as read, and one body can hold many requests.
     */
    public String refusal(String authorization, String method, String path, String jolokiaQueryPath, String jolokiaPrefix) {
        String[] credentials = basic(authorization);
        if (credentials == null) {
            return null;
        }
        Account a = accounts.get(credentials[0]);
        if (a == null || !readOnly(a) || !MessageDigest.isEqual(a.password(), credentials[1].getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return "user '" + credentials[0] + "' is read-only (role viewer): " + method + " is refused; read with GET, operate as an operator";
        }
        if (path.startsWith(jolokiaPrefix)) {
            String rest = jolokiaQueryPath != null ? jolokiaQueryPath : path.substring(jolokiaPrefix.length());
            String command = rest.replaceFirst("^/+", "");
            int slash = command.indexOf('/');
            command = (slash < 0 ? command : command.substring(0, slash)).toLowerCase(Locale.ROOT);
            if (!READS.contains(command)) {
                return "user '" + credentials[0] + "' is read-only (role viewer): Jolokia '" + command + "' is refused; it needs an operator";
            }
        }
        return null;
    }

    /** user and password of a Basic header, or null. */
    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
