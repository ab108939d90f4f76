package dev.ferry.bench.reliability;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trial of one cell (flow × fault), as the harness hands it to the flow.
 *
 * @param workDir     an empty folder of this trial's own: input files, inbox, reports, logs go under it
 * @param database    the target database, created empty by the harness (the flow may create more, named
 *                    {@code database + "_<suffix>"}; the harness drops those too)
 * @param jdbcUrl     how Ferry reaches PostgreSQL in this trial (through the fault proxy when there is one)
 * @param adminUrl    a direct URL for the flow's own setup and read-back, never through the proxy
 * @param reportsDir  the reports folder Ferry must write to (the harness may make it full or read-only)
 * @param env         environment for every Ferry process of this trial (database URL, user, password, reports dir)
 * @param seed        the trial's random seed, so a failing trial can be rerun
 */
public record Trial(Path workDir, String database, String jdbcUrl, String adminUrl, Path reportsDir,
                    Map<String, String> env, long seed) {

    /** The JDBC URL of another database on the same server, for flows that need a source database too. */
    public String adminUrl(String otherDatabase) {
        return adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + otherDatabase + "$1");
    }

    /** Where the harness writes the output of every Ferry process of this trial, one {@code <n>-<role>.log} each. */
    public Path logDir() {
        return workDir.resolve("logs");
    }
}
