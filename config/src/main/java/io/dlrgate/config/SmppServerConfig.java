package io.dlrgate.config;

import java.time.Duration;

/**
 * The SMPP listener carriers bind to.
 *
 * @param host          address to listen on
 * @param port          TCP port (0 picks a free one, used by tests)
 * @param systemId      the system_id the gateway answers binds with
 * @param maxConnections bound sessions at once, all carriers together (connections not bound yet have their
 *                      own budget, below)
 * @param bindTimeout   how long a new connection may take to send its bind before it is closed
 * @param requestExpiry how long a request to a carrier may wait for its response
 * @param enquireLinkInterval how often the gateway checks each bound session with an enquire_link; a session
 *                      whose enquire_link_resp does not come within {@code requestExpiry} is closed.
 *                      {@link Duration#ZERO} turns the check off
 * @param maxUnboundConnections connections open at once that have not bound yet, from anywhere: their own
 *                      budget, so strangers cannot take the bound sessions' slots
 * @param maxUnboundPerAddress connections open at once that have not bound yet, from one source address
 * @param bindFailures  failed binds (unknown system_id, wrong password, address not allowed) from one source
 *                      address that lock it out
 * @param tls           a second listener speaking TLS, on its own port, or null for none; both listeners share
 *                      every limit above (connections and unbound budget count both together)
 */
public record SmppServerConfig(
        String host,
        int port,
        String systemId,
        int maxConnections,
        Duration bindTimeout,
        Duration requestExpiry,
        Duration enquireLinkInterval,
        int maxUnboundConnections,
        int maxUnboundPerAddress,
        FailureLimits bindFailures,
        SmppTlsConfig tls) {

    /** The default enquire_link interval. */
    public static final Duration DEFAULT_ENQUIRE_LINK_INTERVAL = Duration.ofSeconds(30);
    /**
     * Defaults of the unbound budget: a carrier opens one connection per bind and binds at once, so 20 unbound at
     * a time is plenty for every carrier reconnecting together; 4 per address lets a carrier's few binds from one
     * host race, while one address flooding takes at most a fifth of the budget.
     */
    public static final int DEFAULT_MAX_UNBOUND_CONNECTIONS = 20;
    public static final int DEFAULT_MAX_UNBOUND_PER_ADDRESS = 4;

    /** Connections the listener can have open at once: bound sessions plus connections not bound yet. */
    public int maxOpenConnections() {
        return maxConnections + maxUnboundConnections;
    }

    /** Without a TLS listener. */
    public SmppServerConfig(String host, int port, String systemId, int maxConnections, Duration bindTimeout,
                            Duration requestExpiry, Duration enquireLinkInterval, int maxUnboundConnections,
                            int maxUnboundPerAddress, FailureLimits bindFailures) {
        this(host, port, systemId, maxConnections, bindTimeout, requestExpiry, enquireLinkInterval,
                maxUnboundConnections, maxUnboundPerAddress, bindFailures, null);
    }

    /** The same listener with a TLS listener beside it (or none, for null). */
    public SmppServerConfig withTls(SmppTlsConfig tls) {
        return new SmppServerConfig(host, port, systemId, maxConnections, bindTimeout, requestExpiry,
                enquireLinkInterval, maxUnboundConnections, maxUnboundPerAddress, bindFailures, tls);
    }

    /** With the default enquire_link interval, unbound budget and bind failure limits. */
    public SmppServerConfig(String host, int port, String systemId, int maxConnections, Duration bindTimeout,
                            Duration requestExpiry) {
        this(host, port, systemId, maxConnections, bindTimeout, requestExpiry, DEFAULT_ENQUIRE_LINK_INTERVAL,
                DEFAULT_MAX_UNBOUND_CONNECTIONS, DEFAULT_MAX_UNBOUND_PER_ADDRESS, FailureLimits.DEFAULT);
    }
}
