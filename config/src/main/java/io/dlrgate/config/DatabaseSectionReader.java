package io.dlrgate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code database}: PostgreSQL URL and credentials (or the embedded one), pool, the optional read replica,
 * with env overrides.
 */
final class DatabaseSectionReader {
    static final List<String> KEYS = List.of("url", "user", "password", "embedded_data_dir",
            "embedded_port", "pool_size", "read_url", "read_user", "read_password");

    private final ReadContext ctx;

    DatabaseSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    DatabaseConfig read(ConfigSection s) {
        String url = s.string("url", null, false);
        if (url != null) {
            validJdbcUrl(s, "url", url);
        }
        String user = s.string("user", "postgres", false);
        if (user != null && user.isBlank()) {
            ctx.problem(s.keyPath("user"), s.lineOf("user"), "must not be blank");
        }
        String password = s.string("password", null, false);
        String dir = s.string("embedded_data_dir", "./data/pg", false);
        Path dataDir = Path.of("./data/pg");
        if (dir != null) {
            if (dir.isBlank()) {
                ctx.problem(s.keyPath("embedded_data_dir"), s.lineOf("embedded_data_dir"), "must not be blank");
            } else {
                try {
                    dataDir = Path.of(dir);
                } catch (InvalidPathException e) {
                    ctx.problem(s.keyPath("embedded_data_dir"), s.lineOf("embedded_data_dir"),
                            "not a valid path: " + e.getReason());
                }
            }
        }
        int embeddedPort = s.integer("embedded_port", 0, 0, 65535);
        int poolSize = s.integer("pool_size", 10, 1, 200);

        String envUrl = ctx.env("DLRGATE_DB_URL");
        if (envUrl != null) {
            try {
                ConfigValues.checkJdbcUrl(envUrl);
                url = envUrl;
            } catch (IllegalArgumentException e) {
                ctx.envProblem("DLRGATE_DB_URL", e.getMessage() + " (overrides database.url)");
            }
        }
        String envUser = ctx.env("DLRGATE_DB_USER");
        if (envUser != null) {
            if (envUser.isBlank()) {
                ctx.envProblem("DLRGATE_DB_USER", "must not be blank (overrides database.user)");
            } else {
                user = envUser;
            }
        }
        String envPassword = ctx.env("DLRGATE_DB_PASSWORD");
        if (envPassword != null) {
            password = envPassword;
        }
        DatabaseConfig.ReadReplica replica = readReplica(s, url, user, password, poolSize);
        s.checkUnknownKeys();
        return new DatabaseConfig(url, user, password, dataDir, embeddedPort, poolSize, replica);
    }

    /**
     * {@code read_url}, {@code read_user}, {@code read_password} and their variables, after the primary's own
     * overrides: the replica's credentials default to the primary's as they end up. Null without a read URL.
     */
    private DatabaseConfig.ReadReplica readReplica(ConfigSection s, String url, String user, String password,
                                                   int poolSize) {
        String readUrl = s.string("read_url", null, false);
        boolean readUrlValid = readUrl == null || validJdbcUrl(s, "read_url", readUrl);
        String readUser = s.string("read_user", null, false);
        if (readUser != null && readUser.isBlank()) {
            ctx.problem(s.keyPath("read_user"), s.lineOf("read_user"), "must not be blank");
        }
        String readPassword = s.string("read_password", null, false);
        String envUrl = ctx.env(ConfigLoader.ENV_DB_READ_URL);
        if (envUrl != null) {
            try {
                ConfigValues.checkJdbcUrl(envUrl);
                readUrl = envUrl;
                readUrlValid = true;
            } catch (IllegalArgumentException e) {
                ctx.envProblem(ConfigLoader.ENV_DB_READ_URL, e.getMessage() + " (overrides database.read_url)");
            }
        }
        String envUser = ctx.env(ConfigLoader.ENV_DB_READ_USER);
        if (envUser != null) {
            if (envUser.isBlank()) {
                ctx.envProblem(ConfigLoader.ENV_DB_READ_USER, "must not be blank (overrides database.read_user)");
            } else {
                readUser = envUser;
            }
        }
        String envPassword = ctx.env(ConfigLoader.ENV_DB_READ_PASSWORD);
        if (envPassword != null) {
            readPassword = envPassword;
        }
        if (readUrl == null) {
            // Credentials for a replica that is not configured are a mistake (a forgotten read_url), not a no-op.
            for (String key : List.of("read_user", "read_password")) {
                if (s.has(key)) {
                    ctx.problem(s.keyPath(key), s.lineOf(key), "needs database.read_url (the replica it logs in to)");
                }
            }
            return null;
        }
        if (url == null) {
            String why = "needs database.url: the embedded PostgreSQL has no replica to read from";
            if (s.has("read_url")) {
                ctx.problem(s.keyPath("read_url"), s.lineOf("read_url"), why);
            } else {
                ctx.envProblem(ConfigLoader.ENV_DB_READ_URL, why);
            }
            return null;
        }
        if (!readUrlValid) {
            return null;
        }
        return new DatabaseConfig.ReadReplica(readUrl, readUser != null ? readUser : user,
                readPassword != null ? readPassword : password, replicaPoolSize(poolSize));
    }

    /**
     * Reports only: half the primary's pool, at least 4. CSV exports hold a connection for as long as they stream, so
     * two of them must leave room for the report pages; a read that still finds every connection out is served by
     * the primary without counting the replica down (ReportReads).
     */
    static int replicaPoolSize(int poolSize) {
        return Math.max(4, poolSize / 2);
    }

    private boolean validJdbcUrl(ConfigSection s, String key, String value) {
        try {
            ConfigValues.checkJdbcUrl(value);
            return true;
        } catch (IllegalArgumentException e) {
            ctx.problem(s.keyPath(key), s.lineOf(key), e.getMessage());
            return false;
        }
    }
}
