package dev.ferry;

import static dev.ferry.GracefulShutdownIT.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import dev.ferry.support.FerryProcess;
import dev.ferry.support.Fixtures;
import dev.ferry.support.JmxServer;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service as the README's "Operating Ferry" sets it up (packaged jar, management server with a
 * users file, remote JMX with the JDK's password and access files): nothing answers without
 * credentials, and a read-only user reads but cannot operate, over HTTP and over JMX.
 */
class ManagementCredentialsIT {

    private static final String MBEAN = "org.apache.camel:context=ferry,type=services,name=FerryOperations";
    private static final String OPERATOR_PW = "op-" + Long.toHexString(System.nanoTime());
    private static final String VIEWER_PW = "view-" + Long.toHexString(System.nanoTime());

    private static TestDatabase db;
    private static Process ferry;
    private static int httpPort;
    private static int jmxPort;
    private static long runId;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        db = new TestDatabase(ManagementCredentialsIT.class);
        Path work = Files.createTempDirectory("ferry-credentials-");
        Path users = work.resolve("management-users.properties");
        Files.writeString(users, "user.operator=" + OPERATOR_PW + "\nuser.viewer=" + VIEWER_PW + ",viewer\n");
        Path jmxPasswords = work.resolve("jmxremote.password");
        Files.writeString(jmxPasswords, "operator " + OPERATOR_PW + "\nviewer " + VIEWER_PW + "\n");
        Files.setPosixFilePermissions(jmxPasswords, PosixFilePermissions.fromString("rw-------"));
        Path jmxAccess = work.resolve("jmxremote.access");
        Files.writeString(jmxAccess, "operator readwrite\nviewer readonly\n");
        httpPort = JmxServer.freePort();
        jmxPort = JmxServer.freePort();
        Map<String, String> env = new java.util.HashMap<>(Map.of("FERRY_DB_URL", db.url(), "FERRY_DB_USER", TestDatabase.USER,
                "FERRY_INBOX", work.resolve("inbox").toString(), "FERRY_DONE", work.resolve("done").toString(),
                "FERRY_ERROR", work.resolve("error").toString(), "FERRY_REPORTS", work.resolve("reports").toString(),
                "FERRY_INBOX_WRITE_COMPLETE_MS", "200"));
        env.putAll(Map.of("CAMEL_MANAGEMENT_ENABLED", "true", "CAMEL_MANAGEMENT_HOST", "127.0.0.1",
                "CAMEL_MANAGEMENT_PORT", Integer.toString(httpPort), "CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE", users.toString()));
        ferry = FerryProcess.start(work.resolve("proc"), env, List.of("-Xmx512m",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=true", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.password.file=" + jmxPasswords,
                "-Dcom.sun.management.jmxremote.access.file=" + jmxAccess), "serve");
        waitFor(() -> db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'trading' AND tablename = 'users'") == 1, 60);
        db.execute("INSERT INTO trading.users (id) VALUES (1)");
        Path file = work.resolve("inbox/user_1/trades_history.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Fixtures.formatsExample());
        waitFor(() -> Files.exists(work.resolve("done/user_1/trades_history.json")), 60);
        waitFor(() -> get("/observe/health", null, null).statusCode() == 200, 30);
        runId = db.count("SELECT max(id) FROM ferry.runs");
    }

    @AfterAll
    static void stop() throws Exception {
        if (ferry != null) {
            ferry.destroy();
            ferry.waitFor();
        }
        if (db != null) {
            db.close();
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------

    private static HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        return HTTP.send(request(path, user, password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body, String user, String password) throws Exception {
        return HTTP.send(request("/observe/jolokia/", user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String readRecentRuns() {
        return "/observe/jolokia/read/" + MBEAN + "/RecentRuns";
    }

    private static String execRollback() {
        return "{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"rollbackRun(long,java.lang.String,boolean)\","
                + "\"arguments\":[" + runId + ",\"DELETE\",false]}";
    }

    @Test
    void jolokiaAndMetricsAnswer401WithoutOrWithWrongCredentials() throws Exception {
        for (String[] who : new String[][] {{null, null}, {"operator", "wrong"}, {"viewer", "wrong"}, {"nobody", OPERATOR_PW}}) {
            assertThat(get(readRecentRuns(), who[0], who[1]).statusCode()).as("read as %s", who[0]).isEqualTo(401);
            assertThat(post(execRollback(), who[0], who[1]).statusCode()).as("exec as %s", who[0]).isEqualTo(401);
            assertThat(get("/observe/metrics", who[0], who[1]).statusCode()).as("metrics as %s", who[0]).isEqualTo(401);
        }
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + runId)).isEqualTo("completed");
    }

    @Test
    void aViewerReadsAttributesAndMetricsButEveryOperationIsRefused() throws Exception {
        HttpResponse<String> read = get(readRecentRuns(), "viewer", VIEWER_PW);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("trades_history", "completed");
        assertThat(get("/observe/metrics", "viewer", VIEWER_PW).body()).contains("ferry_records_loaded_total");
        assertThat(get("/observe/jolokia/list/org.apache.camel", "viewer", VIEWER_PW).statusCode()).isEqualTo(200);

        HttpResponse<String> exec = post(execRollback(), "viewer", VIEWER_PW);
        assertThat(exec.statusCode()).isEqualTo(403);
        assertThat(exec.body()).contains("read-only");
        String migrate = "/observe/jolokia/exec/" + MBEAN + "/migrateDataDir(java.lang.String,long,boolean)/tmp/1/true";
        assertThat(get(migrate, "viewer", VIEWER_PW).statusCode()).isEqualTo(403);
        assertThat(get("/observe/jolokia/exec/" + MBEAN + "/rollbackRun/" + runId + "/DELETE/false", "viewer", VIEWER_PW).statusCode()).isEqualTo(403);
        assertThat(get("/observe/jolokia?p=/exec/" + MBEAN + "/rollbackRunDryRun/" + runId, "viewer", VIEWER_PW).statusCode()).isEqualTo(403);
        assertThat(get("/observe/jolokia/write/org.apache.camel:context=ferry,type=context,name=%22ferry%22/Tracing/true", "viewer", VIEWER_PW)
                .statusCode()).isEqualTo(403);
        // a read in a POST body is refused too: one body can carry an exec beside it
        assertThat(post("{\"type\":\"read\",\"mbean\":\"" + MBEAN + "\",\"attribute\":\"RecentRuns\"}", "viewer", VIEWER_PW).statusCode())
                .isEqualTo(403);

        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + runId)).isEqualTo("completed");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4);
        // the operator still operates (a dry run: it removes nothing)
        HttpResponse<String> dry = post("{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"rollbackRunDryRun(long)\",\"arguments\":["
                + runId + "]}", "operator", OPERATOR_PW);
        assertThat(dry.statusCode()).isEqualTo(200);
        assertThat(dry.body()).contains("\"status\":200");
    }

    // ---- JMX ----------------------------------------------------------------------------

    private static JMXConnector jmx(String user, String password) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        return JMXConnectorFactory.connect(url, user == null ? Map.of() : Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    @Test
    void remoteJmxRefusesWithoutOrWithWrongCredentials() {
        assertThatThrownBy(() -> jmx(null, null)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> jmx("operator", "wrong")).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> jmx("nobody", OPERATOR_PW)).isInstanceOf(SecurityException.class);
    }

    @Test
    void aReadOnlyJmxUserReadsRecentRunsButCannotInvokeAnOperation() throws Exception {
        ObjectName ops = new ObjectName(MBEAN);
        try (JMXConnector c = jmx("viewer", VIEWER_PW)) {
            MBeanServerConnection conn = c.getMBeanServerConnection();
            assertThat(String.join("\n", (String[]) conn.getAttribute(ops, "RecentRuns"))).contains("trades_history", "completed");
            assertThatThrownBy(() -> conn.invoke(ops, "rollbackRun", new Object[] {runId, "DELETE", false},
                    new String[] {"long", "java.lang.String", "boolean"})).isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> conn.invoke(ops, "migrateDataDir", new Object[] {"/tmp", 1L, true},
                    new String[] {"java.lang.String", "long", "boolean"})).isInstanceOf(SecurityException.class);
        }
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + runId)).isEqualTo("completed");
        try (JMXConnector c = jmx("operator", OPERATOR_PW)) {
            Object dry = c.getMBeanServerConnection().invoke(ops, "rollbackRunDryRun", new Object[] {runId}, new String[] {"long"});
            assertThat(dry.toString()).contains(Long.toString(runId));
        }
    }
}
