package io.dlrgate.config;

import java.time.Duration;

/**
 * The SMPP listener carriers bind to.
 *
 * @param host          address to listen on
 * @param port          TCP port (0 picks a free one, used by tests)
 * @param systemId      the system_id the gateway answers binds with
 * @param maxConnections connections accepted at once, bound or not
 * @param bindTimeout   how long a new connection may take to send its bind before it is closed
 * @param requestExpiry how long a request to a carrier may wait for its response
 * @param enquireLinkInterval how often the gateway checks each bound session with an enquire_link; a session
 *                      whose enquire_link_resp does not come within {@code requestExpiry} is closed.
 *                      {@link Duration#ZERO} turns the check off
 */
public record SmppServerConfig(
        String host,
        int port,
        String systemId,
        int maxConnections,
        Duration bindTimeout,
        Duration requestExpiry,
        Duration enquireLinkInterval) {

    /** The default enquire_link interval. */
    public static final Duration DEFAULT_ENQUIRE_LINK_INTERVAL = Duration.ofSeconds(30);

    /** Without an explicit enquire_link interval: the default. */
    public SmppServerConfig(String host, int port, String systemId, int maxConnections, Duration bindTimeout,
                            Duration requestExpiry) {
        this(host, port, systemId, maxConnections, bindTimeout, requestExpiry, DEFAULT_ENQUIRE_LINK_INTERVAL);
    }
}
