package io.dlrgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the HTTP API and web UI besides the API key (which acts as {@code admin}).
 *
 * @param users      named users with a password and a role
 * @param metrics    who may read {@code /metrics}
 * @param sessionTtl how long a web UI login lasts
 */
public record AuthConfig(List<User> users, MetricsAccess metrics, Duration sessionTtl) {

    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);

    public AuthConfig {
        users = List.copyOf(users);
    }

    public static AuthConfig defaults() {
        return new AuthConfig(List.of(), MetricsAccess.PUBLIC, DEFAULT_SESSION_TTL);
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** A user from the config. */
    public record User(String name, String password, Role role) {
        @Override
        public String toString() {
            return "User[name=" + name + ", role=" + role + ", password=***]";
        }
    }

    /** {@code public}: anyone (Prometheus scrapes without credentials); {@code authenticated}: any user or key; {@code off}: 404. */
    public enum MetricsAccess {
        PUBLIC("public"), AUTHENTICATED("authenticated"), OFF("off");

        private final String configName;

        MetricsAccess(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
