package io.dlrgate.config;

/**
 * The SMPP server's TLS listener, beside the plain one: same host, limits, carriers and sessions.
 *
 * @param port  TCP port (0 picks a free one, used by tests)
 * @param files its certificate and key
 */
public record SmppTlsConfig(int port, TlsFiles files) {

    /** The port carriers commonly expect SMPP over TLS on. */
    public static final int DEFAULT_PORT = 3550;
}
