package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;

import java.time.Duration;
import java.util.List;

/** Reads {@code cluster}: the lease each gateway instance holds on the shared database. */
final class ClusterSectionReader {
    static final List<String> KEYS = List.of("heartbeat_interval", "lease_timeout");

    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
    private static final Duration MAX_HEARTBEAT = Duration.ofMinutes(1);
    private static final Duration MAX_LEASE = Duration.ofMinutes(10);

    private final ReadContext ctx;

    ClusterSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    ClusterConfig read(ConfigSection s) {
        Duration heartbeat = s.duration("heartbeat_interval", ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL);
        if (heartbeat.compareTo(MIN_HEARTBEAT) < 0 || heartbeat.compareTo(MAX_HEARTBEAT) > 0) {
            ctx.problem(s.keyPath("heartbeat_interval"), s.lineOf("heartbeat_interval"), "must be between "
                    + Durations.format(MIN_HEARTBEAT) + " and " + Durations.format(MAX_HEARTBEAT) + ", got "
                    + Durations.format(heartbeat));
            heartbeat = ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL;
        }
        Duration lease = s.duration("lease_timeout", ClusterConfig.DEFAULT_LEASE_TIMEOUT);
        // One heartbeat delayed (a pause, a slow round trip) must not make a live instance look dead to the others:
        // they would requeue, and resend, what it is sending.
        Duration least = heartbeat.multipliedBy(ClusterConfig.MIN_HEARTBEATS_PER_LEASE);
        if (lease.compareTo(least) < 0) {
            ctx.problem(s.keyPath("lease_timeout"), s.lineOf("lease_timeout"), "must be at least "
                    + ClusterConfig.MIN_HEARTBEATS_PER_LEASE + " heartbeats (" + ClusterConfig.MIN_HEARTBEATS_PER_LEASE
                    + " x cluster.heartbeat_interval = "
                    + Durations.format(least) + "), got " + Durations.format(lease));
        } else if (lease.compareTo(MAX_LEASE) > 0) {
            ctx.problem(s.keyPath("lease_timeout"), s.lineOf("lease_timeout"), "must be at most "
                    + Durations.format(MAX_LEASE) + ", got " + Durations.format(lease));
        }
        s.checkUnknownKeys();
        return new ClusterConfig(heartbeat, lease);
    }
}
