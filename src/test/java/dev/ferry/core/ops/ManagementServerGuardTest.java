package dev.ferry.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ferry.FerryRuntime;
import dev.ferry.support.JmxServer;
import dev.ferry.support.TestDatabase;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Ferry never opens the management port without a password: it refuses to start and says why. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementServerGuardTest {

    private TestDatabase db;
    private int port;

    @BeforeAll
    void database() throws Exception {
        db = new TestDatabase(getClass());
        port = JmxServer.freePort();
    }

    @AfterAll
    void drop() {
        db.close();
    }

    private Map<String, String> settings(Map<String, String> management) {
        Map<String, String> s = new HashMap<>(Map.of("ferry.db.url", db.url(), "ferry.db.user", TestDatabase.USER,
                "camel.management.enabled", "true", "camel.management.host", "127.0.0.1",
                "camel.management.port", Integer.toString(port)));
        s.putAll(management);
        return s;
    }

    @Test
    void aMissingUsersFileStopsTheStartWithTheReason() throws Exception {
        Path missing = Files.createTempDirectory("ferry-guard-").resolve("management-users.properties");

        assertThatThrownBy(() -> FerryRuntime.start(false, settings(Map.of("camel.management.basic-properties-file", missing.toString()))))
                .satisfies(e -> assertThat(messages(e)).contains(missing.toString(), "does not exist", "camel.management.enabled=false"));
        assertPortClosed();
    }

    @Test
    void authenticationSwitchedOffStopsTheStartWithTheReason() {
        assertThatThrownBy(() -> FerryRuntime.start(false, settings(Map.of("camel.management.authentication-enabled", "false"))))
                .satisfies(e -> assertThat(messages(e)).contains("without authentication"));
        assertPortClosed();
    }

    @Test
    void oneShotCommandsLeaveTheManagementServerOffWhenTheConfigTurnsItOn() throws Exception {
        // the operator's config turns it on for the service; a CLI command must not take the port (nor fail without users)
        Path config = Files.createTempDirectory("ferry-guard-").resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"))
                .replace("camel.management.enabled=false", "camel.management.enabled=true")
                .replace("camel.management.port=9876", "camel.management.port=" + port));
        assertThat(Files.readString(config)).contains("camel.management.enabled=true");
        System.setProperty("ferry.config", config.toString());
        try (FerryRuntime rt = FerryRuntime.start(false, Map.of("ferry.db.url", db.url(), "ferry.db.user", TestDatabase.USER))) {
            assertThat(rt.context().hasService(ManagementHttpServer.class)).isNull();
            assertPortClosed();
        } finally {
            System.clearProperty("ferry.config");
        }
    }

    private void assertPortClosed() {
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
