package io.dlrgate.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A database for one benchmark phase: either a fresh one created on the local PostgreSQL (and dropped at the
 * end unless kept), or the one the user named with {@code --db-url} (used as given, never dropped).
 */
final class BenchDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String url;
    private final String name;
    private final boolean created;
    private final boolean keep;

    private BenchDatabase(String adminUrl, String user, String url, String name, boolean created, boolean keep) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.url = url;
        this.name = name;
        this.created = created;
        this.keep = keep;
    }

    /**
     * @param givenUrl the user's {@code --db-url}, or null to create a fresh database through {@code adminUrl}
     * @param phase    short tag put in the new database's name
     */
    static BenchDatabase open(String givenUrl, String adminUrl, String user, String phase, boolean keep)
            throws SQLException {
        if (givenUrl != null) {
            checkLoopback(givenUrl);
            return new BenchDatabase(adminUrl, user, givenUrl, "(given)", false, true);
        }
        checkLoopback(adminUrl);
        String name = "dlrgate_bench_" + phase + "_"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT));
        try (Connection c = DriverManager.getConnection(adminUrl, user, null); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        int slash = adminUrl.lastIndexOf('/');
        int q = adminUrl.indexOf('?', slash);
        String url = adminUrl.substring(0, slash + 1) + name + (q < 0 ? "" : adminUrl.substring(q));
        return new BenchDatabase(adminUrl, user, url, name, true, keep);
    }

    /** Only 127.0.0.1 / localhost / ::1 are ever targets. */
    static void checkLoopback(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("expected jdbc:postgresql://127.0.0.1:PORT/DB, got " + jdbcUrl);
        }
        String host = URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
            throw new IllegalArgumentException("benchmarks only target a loopback database, not " + host);
        }
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    /** The database's name on the server ("(given)" for a --db-url database). */
    String name() {
        if (created) {
            return name;
        }
        int slash = url.lastIndexOf('/');
        int q = url.indexOf('?', slash);
        return url.substring(slash + 1, q < 0 ? url.length() : q);
    }

    /** The server's TCP port, from the URL (5432 when it names none). */
    int port() {
        int p = URI.create(url.substring("jdbc:".length())).getPort();
        return p < 0 ? 5432 : p;
    }

    String describe() {
        return created ? name + (keep ? " (kept)" : " (fresh, dropped at the end)") : "given by --db-url";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, null);
    }

    @Override
    public void close() {
        if (!created || keep) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, null); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("bench: could not drop " + name + ": " + e.getMessage());
        }
    }
}
