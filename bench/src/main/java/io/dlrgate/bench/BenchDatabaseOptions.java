package io.dlrgate.bench;

import java.sql.SQLException;
import picocli.CommandLine.Option;

/** The database options every benchmark takes (a picocli mixin), and opening the database they describe. */
final class BenchDatabaseOptions {

    @Option(names = "--db-url", description = "use this (empty, loopback) database instead of creating a fresh one")
    String dbUrl;

    @Option(names = "--admin-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres",
            description = "where the fresh database is created (default ${DEFAULT-VALUE})")
    String adminUrl;

    @Option(names = "--db-user", defaultValue = "postgres", description = "database user (default ${DEFAULT-VALUE})")
    String dbUser;

    @Option(names = "--pool-size", defaultValue = "10", description = "gateway's database pool size (default ${DEFAULT-VALUE})")
    int poolSize;

    @Option(names = "--keep-db", description = "keep the fresh database (default: dropped at the end)")
    boolean keepDb;

    /** The given database, or a fresh one named after {@code phase}, dropped on close unless kept. */
    BenchDatabase open(String phase) throws SQLException {
        return BenchDatabase.open(dbUrl, adminUrl, dbUser, phase, keepDb);
    }
}
