package dev.ferry.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.report.RunResult;
import org.apache.camel.CamelExecutionException;

/** Exit codes shared by every command, documented in ferry --help. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something was rejected, refused, invalid or failed. */
    public static final int PROBLEMS = 1;
    public static final int USAGE = 2;
    /** PostgreSQL could not be reached after the retries. */
    public static final int DATABASE_UNAVAILABLE = 3;

    private ExitCodes() {
    }

    /** Runs a one-shot command; PostgreSQL still out of reach after the retries becomes exit code 3 with its message. */
    static int reportingUnavailable(Callable<Integer> command) throws Exception {
        try {
            return command.call();
        } catch (CamelExecutionException e) {
            if (DatabaseUnavailableException.isUnavailable(e)) {
                System.err.println("ferry: " + e.getCause().getMessage());
                return DATABASE_UNAVAILABLE;
            }
            throw e;
        }
    }

    public static int of(List<RunResult> results) {
        return results.stream().allMatch(r -> r.getStatus().clean()) ? OK : PROBLEMS;
    }
}
