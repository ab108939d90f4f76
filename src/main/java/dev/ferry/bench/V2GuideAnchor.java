package dev.ferry.bench;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference time of the v2 benchmark: the guide's own migration SQL (guide-anchor.sql) run
 * by psql, in one transaction, against a v3 database that holds the v2 tables as v2_*.
 */
public final class V2GuideAnchor {

    static final String SCRIPT = "/v2/guide-anchor.sql";

    private V2GuideAnchor() {
    }

    public static Duration run(String v3JdbcUrl, String user) throws Exception {
        Path script = Files.createTempFile("ferry-guide-anchor", ".sql");
        Path errors = Files.createTempFile("ferry-guide-anchor", ".err");
        try {
            try (InputStream in = V2GuideAnchor.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is not on the classpath");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", conninfo(v3JdbcUrl)));
            if (user != null && !user.isEmpty()) {
                cmd.addAll(List.of("-U", user));
            }
            cmd.addAll(List.of("-f", script.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            String password = System.getenv("FERRY_DB_PASSWORD");
            if (password != null && !password.isEmpty()) {
                pb.environment().put("PGPASSWORD", password);
            }
            // v2's naive times are UTC (formats §3's default source zone), whatever the server's zone
            pb.environment().put("PGTZ", "UTC");
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.HOURS)) {
                p.destroyForcibly();
                throw new IllegalStateException("psql " + SCRIPT + " still running after 2 hours; stopped");
            }
            int exit = p.exitValue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (exit != 0) {
                throw new IllegalStateException("psql " + SCRIPT + " failed (exit " + exit + "): " + Files.readString(errors).strip());
            }
            return took;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(errors);
        }
    }

    /**
     * libpq's key=value form of the host, port and database of a pgjdbc URL: the URL's other
     * parameters are the driver's, and a password must never reach the command line.
     */
    static String conninfo(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        String host = "localhost";
        String port = "5432";
        String db;
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        if (path.startsWith("//")) {
            String authority = path.substring(2);
            int slash = authority.indexOf('/');
            db = slash < 0 ? "" : authority.substring(slash + 1);
            authority = slash < 0 ? authority : authority.substring(0, slash);
            // several hosts are pgjdbc's failover list; psql gets the first, as pgjdbc tries it first
            authority = authority.split(",")[0];
            if (authority.startsWith("[")) {
                int end = authority.indexOf(']');
                host = authority.substring(1, end);
                if (authority.length() > end + 2 && authority.charAt(end + 1) == ':') {
                    port = authority.substring(end + 2);
                }
            } else if (!authority.isEmpty()) {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                port = colon < 0 ? port : authority.substring(colon + 1);
            }
        } else {
            db = path;
        }
        db = URLDecoder.decode(db, StandardCharsets.UTF_8);
        if (db.isEmpty()) {
            throw new IllegalArgumentException("no database in " + jdbcUrl);
        }
        return "host=" + quote(host) + " port=" + quote(port) + " dbname=" + quote(db);
    }

    private static String quote(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** For a quick run by hand: V2GuideAnchor jdbc-url [user]. */
    public static void main(String[] args) throws Exception {
        Duration d = run(args[0], args.length > 1 ? args[1] : System.getProperty("user.name"));
        System.out.printf("guide SQL: %.2f s%n", d.toNanos() / 1e9);
    }
}
