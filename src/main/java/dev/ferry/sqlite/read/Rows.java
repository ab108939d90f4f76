package dev.ferry.sqlite.read;

import java.sql.SQLException;

/**
 * A source table's rows in a stable order, as SQLite's storage class of each value
 * (Integer or Long, Double, String, byte[]; text that is not valid UTF-8 as its raw bytes).
 */
public interface Rows extends AutoCloseable {

    /** The next row's values, or null at the end. */
    Object[] next() throws SQLException;

    /** The rowid of the row last returned (or, without rowid, how many rows were read in all). */
    long position();

    @Override
    void close() throws SQLException;
}
