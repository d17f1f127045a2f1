package io.dlrgate.reporting.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/** What a failed statement says about its input, read from PostgreSQL's SQLSTATE, and rolling back after one. */
public final class StoreErrors {

    private StoreErrors() {
    }

    /**
     * Whether PostgreSQL refused the data itself, so that writing the same data again can only fail again:
     * SQLSTATE class 22 (data exception: bad encoding, value out of range, ...) or 54 (program limit exceeded:
     * an index row too large, ...). Not class 23 (integrity constraint): a unique violation can come from a race
     * between two writers and succeed on retry. Connection failures, timeouts, deadlocks, shutdowns and the like
     * are not data refusals either: those pass.
     */
    public static boolean isRefusedData(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        while (t != null && seen.put(t, Boolean.TRUE) == null) {
            if (t instanceof SQLException sql) {
                if (refusedState(sql.getSQLState())) {
                    return true;
                }
                // pgjdbc reports a failed batch entry as a BatchUpdateException whose next exception is the cause.
                SQLException next = sql.getNextException();
                if (next != null && next != t && refusedState(next.getSQLState())) {
                    return true;
                }
            }
            t = t.getCause();
        }
        return false;
    }

    /**
     * Rolls back {@code c}'s transaction after {@code failure}; should the rollback fail too (the connection is
     * gone), that is added to {@code failure} as suppressed, so the caller rethrows the failure that mattered.
     */
    public static void rollBackAfter(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private static boolean refusedState(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }
}
