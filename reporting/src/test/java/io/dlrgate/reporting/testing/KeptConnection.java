package io.dlrgate.reporting.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One real connection, handed out by {@link #dataSource()} to every borrower and kept open when a borrower closes it,
 * as a pool that does not reset a returned connection would: whatever a borrower leaves on it (an open or failed
 * transaction) the next borrower meets. HikariCP rolls back a returned connection itself, which would hide a store
 * that forgets to roll back after a failure.
 */
public final class KeptConnection implements AutoCloseable {

    private final Connection real;
    private final Connection kept;
    private final DataSource dataSource;

    public KeptConnection(DataSource pool) throws SQLException {
        this.real = pool.getConnection();
        this.kept = proxy(Connection.class, (m, args) -> "close".equals(m.getName()) ? null : m.invoke(real, args));
        this.dataSource = proxy(DataSource.class, (m, args) -> {
            if ("getConnection".equals(m.getName())) {
                return kept;
            }
            throw new UnsupportedOperationException("a kept connection's data source only hands it out: " + m);
        });
    }

    /** Hands out the kept connection, whose {@code close()} does nothing. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The kept connection, as the next borrower gets it. */
    public Connection connection() {
        return kept;
    }

    @Override
    public void close() throws SQLException {
        real.close();
    }

    private interface Call {
        Object invoke(Method m, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return "toString".equals(m.getName()) ? "kept " + type.getSimpleName()
                        : m.getName().equals("equals") ? p == args[0] : System.identityHashCode(p);
            }
            try {
                return call.invoke(m, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
