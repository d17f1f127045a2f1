package io.dlrgate.reporting.testing;

import io.dlrgate.config.DatabaseConfig;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, migrated database per test class on a real PostgreSQL, dropped when closed.
 *
 * <p>Which server: {@code DLRGATE_TEST_DB_URL} (a JDBC URL of a maintenance database, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) when set; otherwise one embedded PostgreSQL
 * shared by the whole test JVM, or, where the embedded server cannot run (as root), the local server at
 * 127.0.0.1:5432. Each test gets a database of its own, so tests never see each other's rows.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String DEFAULT_LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static String adminUrl;

    private final String name;
    private final String url;
    private final Database database;

    private TestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
        this.database = Database.open(config());
    }

    public static TestDatabase create() {
        String admin = adminUrl();
        String name = "dlrgate_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(admin, "create database " + name);
        return new TestDatabase(name, withDatabase(admin, name));
    }

    /** A config pointing at this test's database, for code that opens its own pool (a gateway under test). */
    public DatabaseConfig config() {
        return new DatabaseConfig(url, null, null, Path.of("unused"), 0, 8);
    }

    public String url() {
        return url;
    }

    /** This test's database name on the server (a streaming replica of the server has it under the same name). */
    public String name() {
        return name;
    }

    public Database database() {
        return database;
    }

    /** A single number from a SQL query (a count, a min, a max). */
    public long count(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        database.close();
        try {
            exec(adminUrl(), "drop database if exists " + name + " with (force)");
        } catch (RuntimeException e) {
            // A leftover test database is harmless; do not hide the test's own outcome behind it.
            System.err.println("could not drop " + name + ": " + e.getMessage());
        }
    }

    /** The JDBC URL of the test server's maintenance database (see the class comment for which server). */
    public static synchronized String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String env = System.getenv("DLRGATE_TEST_DB_URL");
        if (env != null && !env.isBlank()) {
            adminUrl = env.trim();
        } else if (!"root".equals(System.getProperty("user.name"))) {
            adminUrl = SharedEmbedded.url();
        } else {
            adminUrl = DEFAULT_LOCAL;
        }
        return adminUrl;
    }

    /** The same server URL, on database {@code db}. */
    public static String withDatabase(String jdbcUrl, String db) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String params = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + db + params;
    }

    private static void exec(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database server at " + jdbcUrl + " refused '" + sql + "': "
                    + e.getMessage() + " (set DLRGATE_TEST_DB_URL to a reachable PostgreSQL)", e);
        }
    }

    /** One embedded server per test JVM, started on first use and stopped with the JVM. */
    private static final class SharedEmbedded {
        static String url() {
            try {
                Path dir = Files.createTempDirectory("dlrgate-test-pg").resolve("data");
                EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
                return pg.jdbcUrl();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
