package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cluster} section: values read as written, and each way of getting it wrong named at its key and line. */
class ClusterSectionTest {

    @Test
    void valuesAreRead() {
        assertEquals(new ClusterConfig(Duration.ofMillis(250), Duration.ofSeconds(3)),
                load("cluster:\n  heartbeat_interval: 250ms\n  lease_timeout: 3s\n").cluster());
    }

    @Test
    void defaultsAreTwoSecondsAndFifteen() {
        assertEquals(new ClusterConfig(Duration.ofSeconds(2), Duration.ofSeconds(15)), load("cluster:\n").cluster());
        assertEquals(ClusterConfig.defaults(), load("smpp:\n  port: 2775\n").cluster());
    }

    @Test
    void aLeaseOfExactlyThreeHeartbeatsIsAllowed() {
        assertEquals(Duration.ofSeconds(6), load("cluster: {heartbeat_interval: 2s, lease_timeout: 6s}\n").cluster()
                .leaseTimeout());
    }

    @Test
    void aLeaseShorterThanThreeHeartbeatsIsRefusedAtItsLine() {
        ConfigException e = fails("cluster:\n  heartbeat_interval: 2s\n  lease_timeout: 5s\n");
        assertEquals("dlrgate.yaml: cluster.lease_timeout: must be at least 3 heartbeats "
                + "(3 x cluster.heartbeat_interval = 6s), got 5s (line 3)", e.getMessage());
    }

    @Test
    void theDefaultLeaseIsTooShortForASlowHeartbeat() {
        assertProblem(fails("cluster:\n  heartbeat_interval: 10s\n"), "cluster.lease_timeout",
                "must be at least 3 heartbeats (3 x cluster.heartbeat_interval = 30s), got 15s");
    }

    @Test
    void heartbeatIntervalRange() {
        assertProblem(fails("cluster: {heartbeat_interval: 50ms}\n"), "cluster.heartbeat_interval",
                "must be between 100ms and 1m, got 50ms");
        assertProblem(fails("cluster: {heartbeat_interval: 2m, lease_timeout: 10m}\n"), "cluster.heartbeat_interval",
                "must be between 100ms and 1m, got 2m");
        assertProblem(fails("cluster: {heartbeat_interval: 0s}\n"), "cluster.heartbeat_interval",
                "must be a positive duration");
    }

    @Test
    void leaseTimeoutAtMostTenMinutes() {
        assertProblem(fails("cluster: {lease_timeout: 11m}\n"), "cluster.lease_timeout",
                "must be at most 10m, got 11m");
    }

    @Test
    void badDurationAndUnknownKey() {
        assertProblem(fails("cluster: {lease_timeout: 15}\n"), "cluster.lease_timeout", "a duration needs a unit");
        assertProblem(fails("cluster: {lease_timout: 15s}\n"), "cluster.lease_timout",
                "unknown key (did you mean lease_timeout?)");
        assertProblem(fails("cluster: [heartbeat_interval]\n"), "cluster", "expected a mapping of keys");
    }

    @Test
    void shippedFileDocumentsTheSection() {
        assertEquals(ClusterConfig.defaults(), ConfigLoader.loadDefault(Map.of()).cluster());
    }
}
