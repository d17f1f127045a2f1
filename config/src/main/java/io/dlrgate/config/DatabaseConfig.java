package io.dlrgate.config;

import java.nio.file.Path;

/**
 * Where the store lives.
 *
 * @param url             JDBC URL of an external PostgreSQL; {@code null} starts an embedded PostgreSQL
 * @param embeddedDataDir data directory of the embedded PostgreSQL; it survives restarts
 * @param embeddedPort    port of the embedded PostgreSQL (0 picks a free one)
 * @param poolSize        maximum connections in the pool
 */
public record DatabaseConfig(
        String url,
        String user,
        String password,
        Path embeddedDataDir,
        int embeddedPort,
        int poolSize) {

    public boolean embedded() {
        return url == null;
    }

    @Override
    public String toString() {
        // Never print the password, nor a URL (it may carry credentials).
        return "DatabaseConfig[" + (url == null ? "embedded, dataDir=" + embeddedDataDir + ", port=" + embeddedPort
                : "external") + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
