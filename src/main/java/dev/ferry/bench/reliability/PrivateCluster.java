package dev.ferry.bench.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the suite's own: initdb into a temporary folder, started on a free port of
 * the loopback interface, restarted by the PG_RESTART fault, stopped and deleted at the end. The suite
 * never restarts, fills or cuts off a server anybody else uses.
 *
 * <p>Two roles: {@code postgres} with trust on loopback, for the harness's and the flows' own setup and
 * read-back, and {@code ferry_rel}, the role Ferry runs as, which must give a password (scram-sha-256),
 * so a trial proves Ferry passes it the way users do (FERRY_DB_PASSWORD) and the security checks can
 * grep every log for it. It is a superuser so that flows which create databases or set
 * {@code session_replication_role} run as they would for an owner of the server.
 */
public final class PrivateCluster implements AutoCloseable {

    public static final String ROLE = "ferry_rel";

    private final Path root;
    private final Path data;
    private final Path bin;
    private final int port;
    private final String password;
    private final boolean asPostgres;
    private boolean closed;

    private PrivateCluster(Path root, Path bin, int port, String password, boolean asPostgres) {
        this.root = root;
        this.data = root.resolve("data");
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.asPostgres = asPostgres;
    }

    /** Creates and starts the cluster; {@code port} 0 takes a free one. */
    public static PrivateCluster start(int port) throws Exception {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("ferry-reliability-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        PrivateCluster c = new PrivateCluster(dir, bin, port == 0 ? freePort() : port, "rel" + HexFormat.of().formatHex(secret), root);
        if (root) {
            // PostgreSQL refuses to run as root; the folder must be the postgres user's
            c.run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        c.run(List.of(bin.resolve("initdb").toString(), "-D", c.data.toString(), "-U", "postgres", "--auth-local=trust",
                "--auth-host=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), true);
        // Ferry's role must authenticate; the harness's own postgres role keeps trust on loopback
        String hba = "host all " + ROLE + " 127.0.0.1/32 scram-sha-256\n"
                + "host all " + ROLE + " ::1/128 scram-sha-256\n"
                + "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n";
        Files.writeString(c.data.resolve("pg_hba.conf"), hba); // root writes in place: the file stays the postgres user's
        String conf = "\nlisten_addresses = '127.0.0.1'\nport = " + c.port + "\nunix_socket_directories = '" + dir + "'\n"
                + "max_connections = 200\nfsync = on\nshared_buffers = 64MB\nlog_min_messages = warning\n";
        Files.writeString(c.data.resolve("postgresql.conf"), Files.readString(c.data.resolve("postgresql.conf")) + conf);
        c.pgCtl("start");
        try (Connection admin = c.connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("CREATE ROLE " + ROLE + " LOGIN SUPERUSER");
            // sent as a statement, never on a command line; the server's log records no statements
            st.execute("ALTER ROLE " + ROLE + " PASSWORD '" + c.password + "'");
        }
        return c;
    }

    public int port() {
        return port;
    }

    /** The password of {@link #ROLE}, for Ferry's environment only. */
    public String password() {
        return password;
    }

    public Path folder() {
        return root;
    }

    /** A direct URL to a database of this cluster (the harness's role, trust). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** As the harness (postgres, trust). */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(url(database), p);
    }

    public void createDatabase(String name) throws SQLException {
        dropDatabase(name);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\" OWNER " + ROLE);
        }
    }

    /** Drops the database and every database of the trial named {@code name_<suffix>}. */
    public void dropDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname = '" + name.replace("'", "''")
                    + "' OR starts_with(datname, '" + name.replace("'", "''") + "_')")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String n : names) {
                st.execute("DROP DATABASE IF EXISTS \"" + n.replace("\"", "\"\"") + "\" WITH (FORCE)");
            }
        }
    }

    /** {@code pg_ctl restart -m fast}: every backend is cut off, as when an operator restarts the server mid-run. */
    public void restart() throws Exception {
        pgCtl("restart", "-m", "fast");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pgCtl("stop", "-m", "immediate");
        } catch (Exception e) {
            System.err.println("could not stop the private PostgreSQL in " + data + ": " + e.getMessage());
        }
        deleteTree(root);
    }

    private void pgCtl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
                "-l", root.resolve("server.log").toString()));
        cmd.addAll(List.of(args));
        run(cmd, true);
    }

    private void run(List<String> cmd, boolean postgresUser) throws Exception {
        List<String> full = new ArrayList<>();
        if (postgresUser && asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        Path out = Files.createTempFile("ferry-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + ":\n" + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The newest PostgreSQL's binaries under /usr/lib/postgresql, or PG_BIN. */
    private static Path binaries() {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + base + "; set PG_BIN to PostgreSQL's bin folder"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL binaries under " + base + " (" + e.getMessage() + "); set PG_BIN", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
