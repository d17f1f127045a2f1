package io.dlrgate.reporting.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL run from binaries shipped on Maven Central (zonky), so that the gateway needs nothing
 * installed beyond a JDK. Its data directory is kept between runs: what the gateway stored survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";

    /**
     * How long the JVM's stop waits for the owner to close the database before the safety net stops it: the
     * gateway's own stop (sessions unbound, queues drained) comes first and takes a few seconds.
     */
    static final Duration OWNER_STOP_WAIT = Duration.ofSeconds(20);

    private final EmbeddedPostgres postgres;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Stops PostgreSQL when the JVM stops without the owner having closed it (e.g. Ctrl-C while starting). */
    private final Thread safetyNet = new Thread(this::closeIfLeftOpen, "dlrgate-embedded-pg-stop");

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        Runtime.getRuntime().addShutdownHook(safetyNet);
    }

    private void closeIfLeftOpen() {
        try {
            if (!closed.await(OWNER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static EmbeddedDatabase start(Path dataDir, int port) {
        if ("root".equals(System.getProperty("user.name"))) {
            // initdb and postgres refuse to run as root; say so plainly instead of a stack trace from initdb.
            throw new Database.DatabaseUnavailableException(
                    "the embedded PostgreSQL cannot run as root (PostgreSQL refuses to). Run dlrgate as a normal "
                            + "user, or point it at an external PostgreSQL with DLRGATE_DB_URL "
                            + "(e.g. jdbc:postgresql://127.0.0.1:5432/dlrgate?user=postgres).");
        }
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.getParent().resolve("pg-bin").toFile())
                    // Not zonky's hook: it stopped PostgreSQL at once, while the pool and the workers still used
                    // it (a PSQLException "terminating connection due to administrator command" at every Ctrl-C).
                    // Database.close stops it, last, after everything that uses the pool; see safetyNet.
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            log.info("embedded PostgreSQL {} in {} on port {}", fresh ? "initialised" : "reopened", dir, pg.getPort());
            return new EmbeddedDatabase(pg);
        } catch (IOException | RuntimeException e) {
            throw new Database.DatabaseUnavailableException(
                    "cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            closed.countDown();
        }
        if (Thread.currentThread() != safetyNet) {
            try {
                Runtime.getRuntime().removeShutdownHook(safetyNet);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping: the safety net sees `closed` and returns at once
            }
        }
    }
}
