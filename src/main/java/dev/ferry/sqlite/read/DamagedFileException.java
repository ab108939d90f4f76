package dev.ferry.sqlite.read;

import java.sql.SQLException;

/** The page reader met bytes SQLite's file format does not allow: the file is damaged, not the database server. */
public final class DamagedFileException extends SQLException {

    public DamagedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
