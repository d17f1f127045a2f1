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
 */
public record SmppServerConfig(
        String host,
        int port,
        String systemId,
        int maxConnections,
        Duration bindTimeout,
        Duration requestExpiry) {
}
