package io.dlrgate.reporting.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL run from binaries shipped on Maven Central (zonky), so that the gateway needs nothing
 * installed beyond a JDK. Its data directory is kept between runs: what the gateway stored survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
                    .setOverrideWorkingDirectory(dir.getParent().resolve("pg-bin").toFile());
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
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
