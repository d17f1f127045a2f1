package io.dlrgate.reporting.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.Driver;

/**
 * A real PostgreSQL streaming replica of the test server ({@link TestDatabase#adminUrl()}), for tests that read from
 * a replica: a base backup taken with {@code pg_basebackup -R -X stream} into a temporary directory, started with
 * {@code pg_ctl} on a free loopback port, stopped and deleted by {@link #close()}. One per test class: the backup
 * copies the whole server (seconds on a test server).
 *
 * <p>PostgreSQL refuses to run as root: as root (CI, this machine) the backup and the server run as the
 * {@code postgres} OS user through {@code runuser}, in a directory it owns. The binaries are those of the server's
 * major version under {@code /usr/lib/postgresql/<major>/bin}, or {@code DLRGATE_TEST_PG_BIN}. The server must
 * accept replication connections from 127.0.0.1 ({@code .ci/run} adds the pg_hba line). Anything missing fails with
 * a message saying what, never a silent skip.
 */
public final class StreamingReplica implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Settings a hot standby needs at least as high as its primary's, or it refuses to start. */
    private static final List<String> AT_LEAST_PRIMARYS = List.of("max_connections", "max_worker_processes",
            "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction");

    private final String primaryUrl;
    private final String user;
    private final Path dir;
    private final Path data;
    private final Path bin;
    private final int port;
    private boolean running;

    private StreamingReplica(String primaryUrl, String user, Path dir, Path bin, int port) {
        this.primaryUrl = primaryUrl;
        this.user = user;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.port = port;
    }

    /** Backs up the test server and starts the replica; returns once it accepts connections. */
    public static StreamingReplica start() {
        String primaryUrl = TestDatabase.adminUrl();
        Properties p = Driver.parseURL(primaryUrl, null);
        if (p == null) {
            throw new IllegalStateException("not a PostgreSQL JDBC URL: " + primaryUrl);
        }
        String host = p.getProperty("PGHOST", "localhost");
        String primaryPort = p.getProperty("PGPORT", "5432");
        String user = p.getProperty("user", System.getProperty("user.name"));
        StreamingReplica r;
        try {
            r = new StreamingReplica(primaryUrl, user, Files.createTempDirectory("dlrgate-replica"),
                    binaries(primaryUrl), LoopbackPorts.free());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a replica directory: " + e, e);
        }
        try {
            r.ownedByServerUser(r.dir);
            r.run(Duration.ofMinutes(3), "pg_basebackup", "-h", host, "-p", primaryPort, "-U", user, "-D",
                    r.data.toString(), "-R", "-X", "stream", "-c", "fast");
            r.configure();
            r.startServer();
            // A test JVM that dies before close() must not leave a PostgreSQL running.
            Runtime.getRuntime().addShutdownHook(new Thread(r::stopQuietly, "replica-stop"));
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot set the replica up: " + e, e);
        }
    }

    /** A JDBC URL of {@code database} on the replica. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user;
    }

    public int port() {
        return port;
    }

    /** Stops replaying WAL (it is still received): the replica falls behind while the primary writes. */
    public void pauseReplay() throws SQLException {
        exec("select pg_wal_replay_pause()");
    }

    public void resumeReplay() throws SQLException {
        exec("select pg_wal_replay_resume()");
    }

    /** Waits until the replica has replayed everything the primary had written when this was called. */
    public void awaitCaughtUp() throws SQLException {
        long target = number(primaryUrl, "select pg_current_wal_lsn() - '0/0'::pg_lsn");
        await("the replica replaying up to the primary's WAL position " + target).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> number(url("postgres"), "select pg_last_wal_replay_lsn() - '0/0'::pg_lsn") >= target);
    }

    /** Starts the server (again, after {@link #stop}); returns once it accepts connections. */
    public synchronized void startServer() {
        run(START_TIMEOUT.plusSeconds(10), "pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir, "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()), "start");
        running = true;
        await("the replica accepting connections on port " + port).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> number(url("postgres"), "select 1") == 1);
    }

    /** Stops the server (fast shutdown); the data directory stays for {@link #startServer}. */
    public synchronized void stop() {
        if (running) {
            run(Duration.ofSeconds(60), "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
            running = false;
        }
    }

    private synchronized void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("could not stop the test replica: " + e.getMessage());
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteTree(dir);
        }
    }

    private void configure() throws IOException {
        // Debian keeps postgresql.conf and pg_hba.conf out of the data directory: the copy has neither.
        StringBuilder conf = new StringBuilder("\n# dlrgate test replica\nlisten_addresses = '127.0.0.1'\n"
                + "hot_standby = on\nshared_buffers = 16MB\nfsync = off\n");
        for (String setting : AT_LEAST_PRIMARYS) {
            try {
                conf.append(setting).append(" = ").append(text(primaryUrl, "show " + setting)).append('\n');
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read " + setting + " from the primary: " + e.getMessage(), e);
            }
        }
        append(data.resolve("postgresql.conf"), conf.toString());
        append(data.resolve("pg_hba.conf"), "\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n");
    }

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ownedByServerUser(file);
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long number(String url, String sql) throws SQLException {
        return Long.parseLong(text(url, sql));
    }

    private static String text(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs one PostgreSQL program (as the {@code postgres} user when we are root); fails with its output. */
    private void run(Duration timeout, String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(program + ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + timeout + ": " + cmd
                        + "\n" + tail(out));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(program + " failed (exit " + p.exitValue() + "): " + cmd + "\n"
                        + tail(out) + hint(program));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + program, e);
        }
    }

    private String hint(String program) {
        if (program.equals("pg_basebackup")) {
            return "\n(the test server must accept replication connections from 127.0.0.1: a pg_hba.conf line "
                    + "'host replication all 127.0.0.1/32 trust', which .ci/run adds, and wal_level replica)";
        }
        return program.equals("pg_ctl") ? "\nserver log:\n" + tail(dir.resolve("server.log")) : "";
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void ownedByServerUser(Path path) throws IOException {
        if (asRoot()) {
            UserPrincipal postgres = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(path, postgres);
        }
    }

    /** The server's own major version's binaries: pg_basebackup refuses a server newer than itself. */
    private static Path binaries(String primaryUrl) {
        String env = System.getenv("DLRGATE_TEST_PG_BIN");
        Path bin;
        if (env != null && !env.isBlank()) {
            bin = Path.of(env);
        } else {
            try {
                long major = number(primaryUrl, "show server_version_num") / 10_000;
                bin = Path.of("/usr/lib/postgresql/" + major + "/bin");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot ask the test server its version: " + e.getMessage(), e);
            }
        }
        for (String program : List.of("pg_basebackup", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(bin.resolve(program))) {
                throw new IllegalStateException("no " + program + " in " + bin + ": install the PostgreSQL server "
                        + "package of the test server's version, or set DLRGATE_TEST_PG_BIN to its bin directory");
            }
        }
        return bin;
    }


    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete the replica directory " + root + ": " + e.getMessage());
        }
    }
}
