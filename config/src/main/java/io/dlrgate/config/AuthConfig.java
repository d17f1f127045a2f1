package io.dlrgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the HTTP API and web UI besides the API key (which acts as {@code admin}).
 *
 * @param users              named users with a password and a role
 * @param metrics            who may read {@code /metrics}
 * @param sessionTtl         how long a web UI login lasts at most
 * @param sessionIdleTimeout a login unused this long ends (each request on it starts the wait afresh)
 * @param maxSessionsPerUser logins one user may hold; a further login ends that user's oldest
 * @param maxSessions        logins all users may hold; beyond it the least recently used end
 * @param loginFailures      when failed logins, HTTP Basic and API keys from one address lock it out
 */
public record AuthConfig(List<User> users, MetricsAccess metrics, Duration sessionTtl, Duration sessionIdleTimeout,
                         int maxSessionsPerUser, int maxSessions, FailureLimits loginFailures) {

    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 20;
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    public AuthConfig {
        users = List.copyOf(users);
    }

    public static AuthConfig defaults() {
        return withUsers(List.of(), MetricsAccess.PUBLIC);
    }

    /** These users and metrics access, every other key at its default. */
    public static AuthConfig withUsers(List<User> users, MetricsAccess metrics) {
        return new AuthConfig(users, metrics, DEFAULT_SESSION_TTL, DEFAULT_SESSION_IDLE_TIMEOUT,
                DEFAULT_MAX_SESSIONS_PER_USER, DEFAULT_MAX_SESSIONS, FailureLimits.DEFAULT);
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
