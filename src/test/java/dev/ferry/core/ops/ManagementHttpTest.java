package dev.ferry.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import dev.ferry.support.JmxServer;
import org.junit.jupiter.api.Test;

/** The management HTTP server: Jolokia behind basic auth and the access policy, metrics behind auth, health open. */
class ManagementHttpTest extends FerryTestSupport {

    private static final String FERRY_MBEAN = "org.apache.camel:context=ferry,type=services,name=FerryOperations";
    private static final String PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @Override
    protected Map<String, String> extraSettings() {
        try {
            port = JmxServer.freePort();
            Path users = Files.createTempDirectory("ferry-mgmt-").resolve("management-users.properties");
            Files.writeString(users, "user.operator=" + PASSWORD + "\n");
            return Map.of("camel.management.enabled", "true", "camel.management.port", Integer.toString(port),
                    "camel.management.host", "127.0.0.1", "camel.management.basic-properties-file", users.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(request(path, user, password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> jolokia(Map<String, Object> body, String user, String password) throws Exception {
        HttpRequest req = request("/observe/jolokia/", user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private JsonNode jolokiaOk(Map<String, Object> body) throws Exception {
        HttpResponse<String> res = jolokia(body, "operator", PASSWORD);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.path("status").asInt()).as(res.body()).isEqualTo(200);
        return json.path("value");
    }

    private JsonNode jolokiaRefused(Map<String, Object> body) throws Exception {
        HttpResponse<String> res = jolokia(body, "operator", PASSWORD);
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.path("status").asInt()).as(res.body()).isEqualTo(403);
        assertThat(json.path("error").asText()).as(res.body()).containsIgnoringCase("forbidden");
        return json;
    }

    @Test
    void healthIsUpWithoutCredentials() throws Exception {
        HttpResponse<String> res = get("/observe/health", null, null);

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void jolokiaReadsAFerryAttributeAndRunsAFerryOperationWithCredentials() throws Exception {
        db.emptyTables();
        Path dir = work.resolve("bot-http");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("trades_history.json"), Fixtures.formatsExample());

        JsonNode migrated = jolokiaOk(Map.of("type", "exec", "mbean", FERRY_MBEAN,
                "operation", "migrateDataDir(java.lang.String,long,boolean)", "arguments", List.of(dir.toString(), 1, false)));

        assertThat(migrated.asText()).contains("trades_history", ": completed", "orders=4 fills=3");
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4);
        assertThat(jolokiaOk(Map.of("type", "read", "mbean", FERRY_MBEAN, "attribute", "TotalRowsLoaded")).asLong()).isEqualTo(7);
        assertThat(jolokiaOk(Map.of("type", "read", "mbean", FERRY_MBEAN, "attribute", "RecentRuns")).get(0).asText())
                .contains("trades_history", "loaded=3");

        HttpResponse<String> metrics = get("/observe/metrics", "operator", PASSWORD);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ferry_rows_loaded_total{flow=\"trades_history\",table=\"orders\"} 4.0",
                "ferry_rows_loaded_total{flow=\"trades_history\",table=\"fills\"} 3.0", "ferry_run_duration_seconds_count");
    }

    @Test
    void jolokiaAndMetricsAnswer401WithoutOrWithWrongCredentials() throws Exception {
        Map<String, Object> read = Map.of("type", "read", "mbean", FERRY_MBEAN, "attribute", "TotalRowsLoaded");

        assertThat(jolokia(read, null, null).statusCode()).isEqualTo(401);
        assertThat(jolokia(read, "operator", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/observe/jolokia/read/java.lang:type=Runtime/Uptime", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/jolokia", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/observe/metrics", "operator", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void thePolicyRefusesMBeansOutsideCamelAndReadOnlyJavaLang() throws Exception {
        Path dump = work.resolve("heap.hprof");

        jolokiaRefused(Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap(java.lang.String,boolean)", "arguments", List.of(dump.toString(), true)));
        jolokiaRefused(Map.of("type", "read", "mbean", "java.util.logging:type=Logging", "attribute", "LoggerNames"));
        jolokiaRefused(Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()", "arguments", List.of()));

        assertThat(dump).doesNotExist();
        assertThat(jolokiaOk(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "Uptime")).asLong()).isPositive();
    }
}
