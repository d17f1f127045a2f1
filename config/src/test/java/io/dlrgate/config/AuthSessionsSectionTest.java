package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code auth.session_idle_timeout}, the session caps and {@code auth.login_failures}. */
class AuthSessionsSectionTest {

    private static final String CARRIERS = "carriers:\n" + carrier("acme");

    @Test
    void defaults() {
        AuthConfig a = load(CARRIERS).auth();
        assertEquals(Duration.ofMinutes(30), a.sessionIdleTimeout());
        assertEquals(20, a.maxSessionsPerUser());
        assertEquals(10_000, a.maxSessions());
        assertEquals(new FailureLimits(10, Duration.ofMinutes(1), Duration.ofMinutes(5)), a.loginFailures());
    }

    @Test
    void givenValues() {
        AuthConfig a = load("""
                auth:
                  session_idle_timeout: 10m
                  max_sessions_per_user: 3
                  max_sessions: 500
                  login_failures: {limit: 5, window: 30s, lockout: 15m}
                """ + CARRIERS).auth();
        assertEquals(Duration.ofMinutes(10), a.sessionIdleTimeout());
        assertEquals(3, a.maxSessionsPerUser());
        assertEquals(500, a.maxSessions());
        assertEquals(new FailureLimits(5, Duration.ofSeconds(30), Duration.ofMinutes(15)), a.loginFailures());
    }

    @Test
    void aPartialLoginFailuresMappingKeepsTheOtherDefaults() {
        assertEquals(new FailureLimits(3, Duration.ofMinutes(1), Duration.ofMinutes(5)),
                load("auth:\n  login_failures: {limit: 3}\n" + CARRIERS).auth().loginFailures());
    }

    @Test
    void idleTimeoutLongerThanTheTtlIsRefused() {
        assertProblem(fails("auth:\n  session_ttl: 1h\n  session_idle_timeout: 2h\n" + CARRIERS),
                "auth.session_idle_timeout", "must be between 1m and auth.session_ttl (1h)");
    }

    @Test
    void badLoginFailuresAreRefusedByKey() {
        ConfigException e = fails("""
                auth:
                  max_sessions_per_user: 0
                  login_failures: {limit: 0, window: 2h, lockout: 2d, lockot: 1m}
                """ + CARRIERS);
        assertProblem(e, "auth.max_sessions_per_user", "1");
        assertProblem(e, "auth.login_failures.limit", "1");
        assertProblem(e, "auth.login_failures.window", "must be at most 1h");
        assertProblem(e, "auth.login_failures.lockout", "must be at most 1d");
        assertProblem(e, "auth.login_failures.lockot", "unknown key");
    }
}
