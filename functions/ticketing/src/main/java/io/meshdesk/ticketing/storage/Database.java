package io.meshdesk.ticketing.storage;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import io.meshdesk.problem.Problem;

/**
 * Runs work in one database transaction. A database that cannot be reached becomes a 503 that
 * says so; nothing is half written, because the transaction rolls back.
 */
public final class Database {

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T inTransaction(String doing, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(doing, e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is gone; the server rolls back on its own.
        }
    }

    static RuntimeException translate(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P") || e.getMessage().contains("Acquisition timeout")) {
            return Problem.unavailable(
                    "PostgreSQL is unreachable while " + doing + " (" + e.getMessage()
                            + "); check the database (MESHDESK_DB_URL) and try again",
                    e);
        }
        return new IllegalStateException("database error while " + doing + ": " + e.getMessage(), e);
    }
}
