package io.dlrgate.reporting.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.dlrgate.config.DatabaseConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Where report queries read: the streaming replica of {@code database.read_url} when one is configured and
 * answering, else the primary. A data source of its own so that the report queries need not know which.
 *
 * <p>When the replica cannot be reached, reads fall back to the primary (counted in {@link #fallbacks}) and the
 * replica is not asked again for {@link #RETRY_AFTER}, so a dead replica costs one connection timeout per retry,
 * not one per request; the probe ({@link #PROBE_EVERY}), which also measures the {@link ReplicaLag}, brings it back
 * as soon as it answers. Only the changes between up and down are logged: at most a line per retry period.
 *
 * <p>A replica whose pool is merely busy (every connection out, e.g. on long CSV exports) is not down: a read that
 * times out waiting for the pool while its connections are in use is served by the primary for that one query
 * (counted in {@link #busyReads}) and the replica stays up. Waiting longer on the replica instead would hold an HTTP
 * worker for as long as an export runs. The lag probe has a connection of its own ({@link #probePool}), outside
 * the report pool, so exports cannot starve it into reporting the replica down either.
 */
public final class ReportReads implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ReportReads.class);
    /** A replica that failed is left alone this long before a read tries it again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    /** Above this, the UI says how far behind the reports are. */
    public static final Duration NOTICE_AFTER = Duration.ofSeconds(5);
    /** A report should not wait long for a replica that is away: the primary answers instead. */
    private static final long REPLICA_CONNECT_TIMEOUT_MS = 1_000;
    private static final int VALID_SECONDS = 1;

    /** Where reports read now, and how far behind that is; {@code behind} when over {@link #NOTICE_AFTER}. */
    public record Freshness(Source source, Duration lag, boolean behind) {
    }

    /** No replica: the primary, current by definition. */
    public static final Freshness ON_PRIMARY = new Freshness(Source.PRIMARY, Duration.ZERO, false);

    private static final Freshness FELL_BACK = new Freshness(Source.PRIMARY_FALLBACK, Duration.ZERO, false);

    /** The reads of one request, on the thread that runs it ({@link #request}); closing it forgets them. */
    public interface Request extends AutoCloseable {
        @Override
        void close();
    }

    private static final Request NO_REQUEST = () -> { };

    public enum Source {
        /** No replica is configured. */
        PRIMARY,
        REPLICA,
        /** A replica is configured but unreachable: the primary answers. */
        PRIMARY_FALLBACK
    }

    private final DataSource primary;
    private final HikariDataSource replica;
    /** One connection for the lag probe, re-opened by the pool when it fails; never shared with reports. */
    private final HikariDataSource probePool;
    private final ReplicaLag lag;
    private final Clock clock;
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder busyReads = new LongAdder();
    /** Where the open request on this thread read: its replica read if any, else its first primary read. */
    private final ThreadLocal<Freshness[]> requestReads = new ThreadLocal<>();
    private ScheduledExecutorService prober;
    /** Null while the replica is believed up; else when a read may try it again. */
    private volatile Instant downUntil;

    private ReportReads(DataSource primary, HikariDataSource replica, HikariDataSource probePool, Clock clock) {
        this.primary = primary;
        this.replica = replica;
        this.probePool = probePool;
        this.clock = clock;
        this.lag = replica == null ? null : new ReplicaLag(primary, probePool, clock);
    }

    /**
     * Reads from {@code replica}, falling back to {@code primary}; without a replica (null), reads the primary.
     * The replica's pool opens without waiting for it: a gateway starts while its replica is down.
     */
    public static ReportReads open(DataSource primary, DatabaseConfig.ReadReplica replica, Clock clock) {
        if (replica == null) {
            return new ReportReads(primary, null, null, clock);
        }
        log.info("reports, CSV exports and the campaign list read from the replica at {}", Database.redact(replica.url()));
        HikariDataSource reports = replicaPool(replica, "dlrgate-replica", replica.poolSize());
        return new ReportReads(primary, reports, replicaPool(replica, "dlrgate-replica-probe", 1), clock);
    }

    private static HikariDataSource replicaPool(DatabaseConfig.ReadReplica replica, String name, int size) {
        HikariConfig hc = Database.poolConfig(replica.url(), replica.user(), replica.password(), size);
        hc.setPoolName(name);
        hc.setReadOnly(true);
        hc.setConnectionTimeout(REPLICA_CONNECT_TIMEOUT_MS);
        hc.setInitializationFailTimeout(-1);
        hc.setMinimumIdle(1);
        return new HikariDataSource(hc);
    }

    /** Probes the replica every {@link #PROBE_EVERY} on a thread of its own; nothing without a replica. */
    public ReportReads start() {
        if (replica != null) {
            prober = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dlrgate-replica-probe");
                t.setDaemon(true);
                return t;
            });
            prober.scheduleWithFixedDelay(this::probe, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Measures the lag; marks the replica up or down by whether it answered. Public for tests that step it. */
    public void probe() {
        if (replica == null) {
            return;
        }
        try {
            lag.sample();
            markUp();
        } catch (SQLException | RuntimeException e) {
            markDown(e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (replica == null) {
            return primary.getConnection();
        }
        Instant retry = downUntil;
        if (retry == null || !clock.instant().isBefore(retry)) {
            try {
                Connection c = replica.getConnection();
                // The pool hands out a recently used connection unchecked: to a replica that went away since, it
                // is dead. One round trip per report read finds out before the report fails on it.
                if (c.isValid(VALID_SECONDS)) {
                    markUp();
                    readFrom(current());
                    return c;
                }
                replica.evictConnection(c);
                markDown(new SQLException("a replica connection no longer answers"));
            } catch (SQLException e) {
                if (busy(e)) {
                    // Up but every connection is out (long exports): this one query reads the primary.
                    busyReads.increment();
                    readFrom(FELL_BACK);
                    return primary.getConnection();
                }
                markDown(e);
            }
        }
        fallbacks.increment();
        readFrom(FELL_BACK);
        return primary.getConnection();
    }

    /**
     * Opens a request on this thread: until it is closed, {@link #freshness} says where its reads went rather than
     * where reads go now. A request's queries each borrow a connection, so the replica may go away (or come back)
     * between two of them; the state read after the last query would then name a source its first reads did not
     * come from. If any of its reads came from the replica the request says replica, with the lag at that read
     * (its figures may be that far behind); else primary-fallback. Not nested; one request per thread.
     */
    public Request request() {
        if (replica == null) {
            return NO_REQUEST;
        }
        requestReads.set(new Freshness[1]);
        return requestReads::remove;
    }

    private void readFrom(Freshness f) {
        Freshness[] request = requestReads.get();
        if (request != null && (request[0] == null || f.source() == Source.REPLICA
                && request[0].source() != Source.REPLICA)) {
            request[0] = f;
        }
    }
    /**
     * Whether the pool timed out because all its connections are in use rather than because none could be opened:
     * Hikari's timeout carries the last connection failure as its cause, none while the replica answers. A replica
     * that hangs on connect has no connection out; the probe marks that one down.
     */
    private boolean busy(SQLException e) {
        if (!(e instanceof SQLTransientConnectionException) || e.getCause() != null) {
            return false;
        }
        var pool = replica.getHikariPoolMXBean();
        return pool != null && pool.getActiveConnections() > 0;
    }

    /**
     * Where reports read and how far behind: within a {@link #request} that has read, where its reads went;
     * else now.
     */
    public Freshness freshness() {
        if (replica == null) {
            return ON_PRIMARY;
        }
        Freshness[] request = requestReads.get();
        if (request != null && request[0] != null) {
            return request[0];
        }
        return current();
    }

    private Freshness current() {
        if (downUntil != null) {
            return FELL_BACK;
        }
        Duration d = lag.current();
        return new Freshness(Source.REPLICA, d, d.compareTo(NOTICE_AFTER) > 0);
    }

    /** Reports the replica pool's figures there (nothing without a replica). */
    public void trackPool(MetricsTrackerFactory factory) {
        if (replica != null) {
            replica.setMetricsTrackerFactory(factory);
        }
    }

    public boolean hasReplica() {
        return replica != null;
    }

    /** Reads the primary answered because the replica could not. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** Reads the primary answered because every replica connection was in use; the replica stayed up. */
    public long busyReads() {
        return busyReads.sum();
    }

    private void markUp() {
        if (downUntil != null) {
            downUntil = null;
            log.info("read replica {} answers again: reports read from it", Database.redact(replica.getJdbcUrl()));
        }
    }

    private void markDown(Exception e) {
        boolean wasUp = downUntil == null;
        downUntil = clock.instant().plus(RETRY_AFTER);
        if (wasUp) {
            log.warn("read replica {} unreachable ({}): reports read from the primary until it answers",
                    Database.redact(replica.getJdbcUrl()), e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
        if (replica != null) {
            replica.close();
            probePool.close();
        }
    }

    // ------------------------------------------------------------------ the rest of DataSource: not used

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("report reads use the configured credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
