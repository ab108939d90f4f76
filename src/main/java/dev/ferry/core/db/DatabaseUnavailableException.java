package dev.ferry.core.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * PostgreSQL could not be reached or went away mid-run. Routes retry this one
 * with back-off and leave the source file where it is; every other failure is
 * about the data and ends the run.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the error means "no usable connection", not "bad statement or data". */
    public static boolean isUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DatabaseUnavailableException
                    || c instanceof SQLTransientConnectionException
                    || c instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
            if (c instanceof java.net.ConnectException || c instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    public static RuntimeException wrap(String doing, SQLException e) {
        if (isUnavailable(e)) {
            return new DatabaseUnavailableException("PostgreSQL unavailable while " + doing + ": " + e.getMessage(), e);
        }
        return new IllegalStateException("database error while " + doing + ": " + e.getMessage(), e);
    }
}
