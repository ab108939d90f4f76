package dev.ferry.core.schema;

import java.sql.SQLException;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A statement of a version's script that PostgreSQL refused, with where it stands in its file.
 * {@code partial} says whether statements before it had already committed (only possible when
 * the script holds statements that run outside a transaction).
 */
public final class ScriptFailure extends Exception {

    private final String file;
    private final int line;
    private final String statement;
    private final String sqlState;
    private final String serverMessage;
    private final boolean partial;

    ScriptFailure(String file, int statementLine, String statement, SQLException e, boolean partial) {
        super(e.getMessage(), e);
        this.file = file;
        this.statement = statement;
        this.sqlState = e.getSQLState();
        this.partial = partial;
        int at = statementLine;
        String text = e.getMessage();
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            // the server points at a character of the statement: turn that into the file's line
            if (m.getPosition() > 0 && statement != null) {
                int upTo = Math.min(m.getPosition() - 1, statement.length());
                at += (int) statement.substring(0, upTo).chars().filter(ch -> ch == '\n').count();
            }
            text = m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
        }
        this.line = at;
        this.serverMessage = text;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String statement() {
        return statement;
    }

    public String sqlState() {
        return sqlState;
    }

    public String serverMessage() {
        return serverMessage;
    }

    public boolean partial() {
        return partial;
    }

    /** "1.1.0__x/up.sql line 3: column "y" does not exist". */
    public String where() {
        return file + " line " + line + ": " + serverMessage;
    }
}
