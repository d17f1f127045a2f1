package io.dlrgate.reporting.db;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/** What a failed statement says about its input, read from PostgreSQL's SQLSTATE. */
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

    private static boolean refusedState(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }
}
