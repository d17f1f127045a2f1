package io.dlrgate.config;

import java.nio.file.Path;

/**
 * Where the store lives.
 *
 * @param url             JDBC URL of an external PostgreSQL; {@code null} starts an embedded PostgreSQL
 * @param embeddedDataDir data directory of the embedded PostgreSQL; it survives restarts
 * @param embeddedPort    port of the embedded PostgreSQL (0 picks a free one)
 * @param poolSize        maximum connections in the pool
 * @param replica         where reports read from ({@code database.read_url}); {@code null}: from the primary
 */
public record DatabaseConfig(
        String url,
        String user,
        String password,
        Path embeddedDataDir,
        int embeddedPort,
        int poolSize,
        ReadReplica replica) {

    /** A store without a read replica. */
    public DatabaseConfig(String url, String user, String password, Path embeddedDataDir, int embeddedPort,
                          int poolSize) {
        this(url, user, password, embeddedDataDir, embeddedPort, poolSize, null);
    }

    public boolean embedded() {
        return url == null;
    }

    /** A copy reading its reports from {@code replica} (null: from the primary). */
    public DatabaseConfig withReplica(ReadReplica replica) {
        return new DatabaseConfig(url, user, password, embeddedDataDir, embeddedPort, poolSize, replica);
    }

    /**
     * A streaming replica of the primary that report queries, CSV exports and the campaign list read from.
     *
     * @param url      JDBC URL of the replica
     * @param user     its user (the primary's unless {@code database.read_user} says otherwise)
     * @param password its password (the primary's unless {@code database.read_password} says otherwise)
     * @param poolSize connections in its pool: reports only, so a fraction of the primary's
     */
    public record ReadReplica(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "ReadReplica[user=" + user + ", poolSize=" + poolSize + "]";
        }
    }

    @Override
    public String toString() {
        // Never print the password, nor a URL (it may carry credentials).
        return "DatabaseConfig[" + (url == null ? "embedded, dataDir=" + embeddedDataDir + ", port=" + embeddedPort
                : "external") + ", user=" + user + ", poolSize=" + poolSize
                + (replica == null ? "" : ", " + replica) + "]";
    }
}
