package io.dlrgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Several gateway instances on one database: each holds a lease in the store, renewed every
 * {@code heartbeatInterval}; an instance whose lease is older than {@code leaseTimeout} counts as dead, and any
 * live instance requeues what it left in flight.
 *
 * @param heartbeatInterval how often the instance renews its lease
 * @param leaseTimeout      how long a lease holds without a heartbeat; at least {@link #MIN_HEARTBEATS_PER_LEASE}
 *                          heartbeats, so one slow or lost heartbeat never makes a live instance look dead
 */
public record ClusterConfig(Duration heartbeatInterval, Duration leaseTimeout) {

    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(15);
    public static final int MIN_HEARTBEATS_PER_LEASE = 3;

    public ClusterConfig {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(leaseTimeout, "leaseTimeout");
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_LEASE_TIMEOUT);
    }
}
