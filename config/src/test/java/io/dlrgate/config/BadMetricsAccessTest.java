package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;

import org.junit.jupiter.api.Test;

class BadMetricsAccessTest {

    @Test
    void unknownMetricsAccess() {
        assertProblem(fails("auth:\n  metrics: private\n"), "auth.metrics", "unknown value \"private\"");
    }

    @Test
    void sessionTtlOutOfRange() {
        assertProblem(fails("auth:\n  session_ttl: 90d\n"), "auth.session_ttl", "must be between 1m and 30d");
    }
}
