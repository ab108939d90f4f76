package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The documented CAMEL_MANAGEMENT_* variables become the settings they name; nothing else does. */
class ManagementEnvironmentTest {

    @Test
    void managementVariablesMapToTheirSettings() {
        Map<String, String> out = FerryRuntime.managementFromEnvironment(Map.of(
                "CAMEL_MANAGEMENT_PORT", "9911",
                "CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE", "/etc/ferry/users.properties",
                "CAMEL_MAIN_NAME", "other",
                "FERRY_DB_URL", "jdbc:postgresql://x/y",
                "CAMEL_MANAGEMENT_", "empty"));

        assertThat(out).containsExactlyInAnyOrderEntriesOf(Map.of(
                "camel.management.port", "9911",
                "camel.management.basic-properties-file", "/etc/ferry/users.properties"));
    }
}
