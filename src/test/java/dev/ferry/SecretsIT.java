package dev.ferry;

import static dev.ferry.GracefulShutdownIT.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.FerryProcess;
import dev.ferry.support.Fixtures;
import dev.ferry.support.JmxServer;
import dev.ferry.support.SqliteFixture;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The passwords Ferry is given (FERRY_DB_PASSWORD, FERRY_V2_PASSWORD, a password file, one inside a
 * JDBC URL) never show in what it prints, writes or exposes: the packaged jar runs import, migrate,
 * sqlite, v2 migrate, schema status and runs, a connection to a wrong port (so errors are printed),
 * and the service; then every file it produced, the service's JMX attributes (through Jolokia) and
 * the process list while it ran are searched for each password. PostgreSQL here trusts 127.0.0.1,
 * so the passwords are not checked, but Ferry is given them as in production and must keep them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsIT {

    private static final String DB_PASSWORD = "dbSecret" + Long.toHexString(System.nanoTime());
    private static final String V2_PASSWORD = "v2Secret" + Long.toHexString(System.nanoTime() * 7);
    private static final String URL_PASSWORD = "urlSecret" + Long.toHexString(System.nanoTime() * 13);
    private static final String FILE_PASSWORD = "fileSecret" + Long.toHexString(System.nanoTime() * 17);
    private static final String MGMT_PASSWORD = "mgmtSecret" + Long.toHexString(System.nanoTime() * 19);
    private static final List<String> SECRETS = List.of(DB_PASSWORD, V2_PASSWORD, URL_PASSWORD, FILE_PASSWORD, MGMT_PASSWORD);

    private final String role = "ferry_secret_" + Long.toHexString(System.nanoTime());
    private TestDatabase db;
    private TestDatabase v2;
    private Path work;
    private final List<String> processLists = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        work = Files.createTempDirectory("ferry-secrets-");
        db = new TestDatabase(SecretsIT.class);
        v2 = new TestDatabase(SecretsIT.class, "v2");
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
        db.execute("ALTER DATABASE " + db.name() + " OWNER TO " + role);
        db.execute("ALTER DATABASE " + v2.name() + " OWNER TO " + role);
        try (Connection c = v2.connect()) {
            V2DatabaseGenerator.small().quirks(false).trades(300).signals(100).sltp(50).history(200).sessions(10).create(c);
        }
        v2.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
    }

    @AfterAll
    void tearDown() {
        if (db != null) {
            db.close();
        }
        if (v2 != null) {
            v2.close();
        }
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER, "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + role);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("dropping the test role " + role, e);
        }
    }

    private Map<String, String> env(String dbUrl) {
        Map<String, String> env = new HashMap<>(Map.of("FERRY_DB_URL", dbUrl, "FERRY_DB_USER", role, "FERRY_DB_PASSWORD", DB_PASSWORD,
                "FERRY_V2_URL", v2.url(), "FERRY_V2_USER", role, "FERRY_V2_PASSWORD", V2_PASSWORD,
                "FERRY_REPORTS", work.resolve("reports").toString(), "FERRY_RETRY_MAX_ATTEMPTS", "1"));
        env.putAll(Map.of("FERRY_RETRY_DELAY_MS", "100", "FERRY_INBOX", work.resolve("inbox").toString(),
                "FERRY_DONE", work.resolve("done").toString(), "FERRY_ERROR", work.resolve("error").toString()));
        return env;
    }

    private FerryProcess.Result run(String dir, Map<String, String> env, String... args) throws Exception {
        return run(true, dir, env, args);
    }

    /** A command given a password on its command line shows it in the process list by itself: that one is not sampled. */
    private FerryProcess.Result run(boolean sampleProcessList, String dir, Map<String, String> env, String... args) throws Exception {
        Path d = work.resolve("runs").resolve(dir);
        Process p = FerryProcess.start(d, env, List.of(), args);
        // the process list as another user of the machine sees it, while the command runs
        while (p.isAlive()) {
            if (sampleProcessList) {
                processLists.add(processList());
            }
            Thread.sleep(200);
        }
        return new FerryProcess.Result(p.exitValue(), Files.readString(d.resolve("stdout.txt")), Files.readString(d.resolve("stderr.txt")));
    }

    private static String processList() throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        return out;
    }

    @Test
    void noPasswordInAnyOutputReportJmxAttributeOrProcessList() throws Exception {
        Path bot = work.resolve("bot");
        Files.createDirectories(bot);
        Files.writeString(bot.resolve("trades_history.json"), Fixtures.formatsExample());
        Path bad = work.resolve("bad/trades_history.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"trades\": [{\"symbol\": \"TCS-EQ\", \"qty\": \"ten\"}]}");
        Path sqlite = SqliteFixture.create(work.resolve("store.db"),
                "CREATE TABLE prices (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, close REAL)",
                "INSERT INTO prices VALUES (1, 'TCS', 3500.5), (2, 'INFY', 1500.25)");

        Map<String, String> env = env(db.url());
        List<FerryProcess.Result> results = new ArrayList<>();
        // the role owns the database: Ferry creates its schemas (as that role) when the first command starts
        results.add(run("runs-first", env, "runs"));
        results.add(run("schema-status", env, "schema", "status", "--project=ferry"));
        db.execute("INSERT INTO trading.users (id) VALUES (1) ON CONFLICT DO NOTHING");
        results.add(run("import", env, "import", "trades-history", "--user-id=1", bad.toString()));
        results.add(run("migrate", env, "migrate", "--user-id=1", "--data-dir=" + bot));
        results.add(run("sqlite", env, "sqlite", "--target-schema=market", sqlite.toString()));
        results.add(run("v2", env, "v2", "migrate", "--create-v3", "--target=" + db.url()));

        // a password file instead of the variable
        Path pwFile = work.resolve("db.password");
        Files.writeString(pwFile, FILE_PASSWORD + "\n");
        Map<String, String> fromFile = env(db.url());
        fromFile.remove("FERRY_DB_PASSWORD");
        fromFile.put("FERRY_DB_PASSWORD_FILE", pwFile.toString());
        results.add(run("password-file", fromFile, "runs"));

        // a password inside the JDBC URL, on the right port and on a wrong one (so the errors are printed)
        results.add(run("url-password", env(db.url() + "?password=" + URL_PASSWORD), "runs"));
        results.add(run("url-password-wrong-port", env("jdbc:postgresql://127.0.0.1:1/" + db.name() + "?user=" + role + "&password=" + URL_PASSWORD),
                "import", "trades-history", "--user-id=1", bot.resolve("trades_history.json").toString()));
        Map<String, String> wrongV2 = env(db.url());
        wrongV2.put("FERRY_V2_URL", "jdbc:postgresql://127.0.0.1:1/" + v2.name() + "?password=" + URL_PASSWORD);
        results.add(run("v2-wrong-port", wrongV2, "v2", "migrate"));
        Map<String, String> v2UrlPassword = env(db.url());
        v2UrlPassword.put("FERRY_V2_URL", v2.url() + "?password=" + URL_PASSWORD);
        results.add(run("v2-url-password", v2UrlPassword, "v2", "sync"));
        results.add(run(false, "schema-url-password", env, "schema", "status", "--project=ferry", "--target=" + db.url() + "?password=" + URL_PASSWORD));

        // a password on the command line: refused without being repeated
        FerryProcess.Result onCommandLine = run(false, "cli-password", env, "runs", "--password", DB_PASSWORD);
        assertThat(onCommandLine.exitCode()).isEqualTo(2);
        assertThat(onCommandLine.all()).contains("password", "FERRY_DB_PASSWORD");
        assertThat(results.get(results.size() - 1).exitCode()).as("a URL with a password on the command line").isEqualTo(2);
        results.add(onCommandLine);

        assertThat(results.get(2).all()).as("the bad file produced an error text").contains("qty");
        assertThat(results.get(3).exitCode()).as(results.get(3).all()).isZero();
        assertThat(results.get(4).exitCode()).as(results.get(4).all()).isZero();
        assertThat(results.get(5).exitCode()).as(results.get(5).all()).isZero();
        assertThat(results.get(8).exitCode()).as("wrong port").isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM market.prices")).isEqualTo(2);

        String jmxAttributes = serveAndReadAttributes();
        assertThat(jmxAttributes).contains("trades_history", "sqlite");

        List<Path> produced;
        try (Stream<Path> files = Files.walk(work)) {
            produced = files.filter(Files::isRegularFile).filter(f -> !f.equals(pwFile) && !f.getFileName().toString().equals("management-users.properties"))
                    .filter(f -> !f.toString().endsWith(".db") && !f.toString().endsWith(".json") || f.startsWith(work.resolve("reports"))
                            || f.startsWith(work.resolve("error")))
                    .toList();
        }
        assertThat(produced.size()).as("files searched").isGreaterThan(20);
        assertThat(produced).anyMatch(f -> f.toString().endsWith(".html"));
        for (Path f : produced) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(text).as("%s holds a password", f).doesNotContain(secret);
            }
        }
        assertThat(processLists.size()).as("process lists taken").isGreaterThan(10);
        assertThat(String.join("\n", processLists)).contains("ferry.jar");
        for (String secret : SECRETS) {
            assertThat(jmxAttributes).doesNotContain(secret);
            assertThat(String.join("\n", processLists)).doesNotContain(secret);
        }
        System.out.println("SecretsIT: " + produced.size() + " files, " + processLists.size() + " process lists, "
                + jmxAttributes.length() + " characters of JMX attributes searched for " + SECRETS.size() + " passwords");
    }

    /** Starts the service with the management server, reads every attribute of Ferry's MBeans, and stops it. */
    private String serveAndReadAttributes() throws Exception {
        Path users = work.resolve("management-users.properties");
        Files.writeString(users, "user.operator=" + MGMT_PASSWORD + "\n");
        int port = JmxServer.freePort();
        Map<String, String> env = env(db.url());
        env.putAll(Map.of("CAMEL_MANAGEMENT_ENABLED", "true", "CAMEL_MANAGEMENT_HOST", "127.0.0.1",
                "CAMEL_MANAGEMENT_PORT", Integer.toString(port), "CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE", users.toString()));
        Process p = FerryProcess.start(work.resolve("runs/serve"), env, List.of(), "serve");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("operator:" + MGMT_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/jolokia/read/org.apache.camel:context=ferry,type=services,*")).header("Authorization", auth).GET().build();
            String[] body = new String[1];
            waitFor(() -> {
                processLists.add(processList());
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                body[0] = res.body();
                return res.statusCode() == 200 && res.body().contains("RecentRuns");
            }, 60);
            HttpRequest context = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/jolokia/read/org.apache.camel:context=ferry,type=context,*")).header("Authorization", auth).GET().build();
            return body[0] + http.send(context, HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
