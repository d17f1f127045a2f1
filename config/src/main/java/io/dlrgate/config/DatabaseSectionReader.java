package io.dlrgate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code database}: PostgreSQL URL and credentials (or the embedded one), pool, with env overrides. */
final class DatabaseSectionReader {
    static final List<String> KEYS = List.of("url", "user", "password", "embedded_data_dir",
            "embedded_port", "pool_size");

    private final ReadContext ctx;

    DatabaseSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    DatabaseConfig read(ConfigSection s) {
        String url = s.string("url", null, false);
        if (url != null) {
            try {
                ConfigValues.checkJdbcUrl(url);
            } catch (IllegalArgumentException e) {
                ctx.problem(s.keyPath("url"), s.lineOf("url"), e.getMessage());
            }
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
        s.checkUnknownKeys();
        return new DatabaseConfig(url, user, password, dataDir, embeddedPort, poolSize);
    }
}
