package io.dlrgate.reporting.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dlrgate.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's connection pool, opened on an external PostgreSQL when the config names one and on an embedded
 * PostgreSQL otherwise, with the schema migrated before anything else touches it.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long the database may take to confirm a connection is alive ({@link #problem}). */
    private static final int VALID_SECONDS = 2;

    private final HikariDataSource pool;
    private final EmbeddedDatabase embedded;

    private Database(HikariDataSource pool, EmbeddedDatabase embedded) {
        this.pool = pool;
        this.embedded = embedded;
    }

    /** Opens the pool (starting the embedded server first if no URL is configured) and migrates the schema. */
    public static Database open(DatabaseConfig config) {
        EmbeddedDatabase embedded = null;
        String url = config.url();
        String user = config.user();
        String password = config.password();
        if (config.embedded()) {
            embedded = EmbeddedDatabase.start(config.embeddedDataDir(), config.embeddedPort());
            url = embedded.jdbcUrl();
            user = EmbeddedDatabase.USER;
            password = null;
        }
        try {
            HikariDataSource pool = new HikariDataSource(poolConfig(url, user, password, config.poolSize()));
            migrate(pool);
            log.info("store ready at {} ({})", redact(url), embedded != null ? "embedded" : "external");
            return new Database(pool, embedded);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw new DatabaseUnavailableException("cannot open the store at " + redact(url) + ": " + rootMessage(e), e);
        }
    }

    static HikariConfig poolConfig(String url, String user, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setPoolName("dlrgate-store");
        // Fail fast when the database is away: the receipt committer answers "retry later" instead of hanging,
        // which is what keeps carriers' receipts safe during an outage.
        hc.setConnectionTimeout(2_000);
        hc.setValidationTimeout(1_000);
        // Let the pool start even if the database is briefly down; callers see SQLExceptions and retry.
        hc.setInitializationFailTimeout(10_000);
        // Multi-row INSERTs from JDBC batches: an order of magnitude fewer round trips for campaign sends.
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        // A statement stuck on a dead socket must not hold a batch forever.
        hc.addDataSourceProperty("socketTimeout", "30");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "dlrgate");
        return hc;
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own, outside the pool, to the pool's database: for a session that lives as long as the
     * process (the live events' {@code LISTEN}), which would otherwise hold a pooled connection forever. A socket
     * timeout as the pool's: a round trip to a peer that vanished without a reset fails instead of hanging the
     * reader (pgjdbc's {@code getNotifications(timeout)} sets its own timeout while it waits, then restores this
     * one). The caller closes it.
     *
     * @param applicationName what {@code pg_stat_activity.application_name} shows for it
     */
    public Connection dedicatedConnection(String applicationName) throws SQLException {
        Properties props = new Properties();
        if (pool.getUsername() != null) {
            props.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            props.setProperty("password", pool.getPassword());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(pool.getJdbcUrl(), props);
    }

    /**
     * Null when the store answers within {@link #VALID_SECONDS}; else a short reason naming the failure's class,
     * never the pool's own text (it names the pool and its counters). Blocking: asks the pool for a connection.
     */
    public String problem() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(VALID_SECONDS) ? null : "the database does not answer";
        } catch (Exception e) {
            return "the database is unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Where the pool points, without credentials. */
    public String describe() {
        return redact(pool.getJdbcUrl());
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    /** Thrown when the store cannot be opened at all; the message says where and why. */
    public static final class DatabaseUnavailableException extends RuntimeException {
        public DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }

        public DatabaseUnavailableException(String message) {
            super(message);
        }
    }

}
