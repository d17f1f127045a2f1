package io.dlrgate.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway reaches a carrier's SMSC and binds to it as an ESME (a carrier's {@code connect:} block).
 *
 * @param host                the SMSC's host name or address
 * @param port                its TCP port
 * @param tls                 TLS for the connection, or null for plain TCP
 * @param systemId            the system_id the gateway binds with
 * @param password            the bind password
 * @param systemType          the system_type sent in the bind ("" for none)
 * @param bind                one transceiver bind per session, or a transmitter and a receiver
 * @param sessions            sessions kept bound: transceivers, or transmitter+receiver pairs
 * @param addressRange        the address_range sent in the bind ("" for none)
 * @param addrTon             the addr_ton sent with it (0: unknown)
 * @param addrNpi             the addr_npi sent with it (0: unknown)
 * @param reconnectMin        the first wait before connecting again after a failure or a drop
 * @param reconnectMax        the longest wait: the backoff doubles up to here; refused binds wait this long
 * @param enquireLinkInterval how often each bound session is checked with an enquire_link; zero turns it off
 */
public record ConnectConfig(
        String host,
        int port,
        Tls tls,
        String systemId,
        String password,
        String systemType,
        Bind bind,
        int sessions,
        String addressRange,
        int addrTon,
        int addrNpi,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration enquireLinkInterval) {

    /** With addr_ton and addr_npi 0 (unknown). */
    public ConnectConfig(String host, int port, Tls tls, String systemId, String password, String systemType,
                         Bind bind, int sessions, String addressRange, Duration reconnectMin, Duration reconnectMax,
                         Duration enquireLinkInterval) {
        this(host, port, tls, systemId, password, systemType, bind, sessions, addressRange, 0, 0, reconnectMin,
                reconnectMax, enquireLinkInterval);
    }

    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(60);
    public static final int MAX_SESSIONS = 64;

    /**
     * TLS on an outbound bind.
     *
     * @param trust          a PEM file of the certificates to trust, or null for the JDK's default trust store
     * @param verifyHostname whether the SMSC's certificate must name {@code host}
     * @param certificate    the certificate and key the gateway presents when the SMSC asks for one (mutual TLS),
     *                       or null for none
     */
    public record Tls(Path trust, boolean verifyHostname, TlsFiles certificate) {
        /** Without a client certificate. */
        public Tls(Path trust, boolean verifyHostname) {
            this(trust, verifyHostname, null);
        }
    }

    /** Which binds a session is made of. */
    public enum Bind {
        /** One bind_transceiver: submits and receipts on the same connection. */
        TRANSCEIVER("transceiver"),
        /** A bind_transmitter for submits and a bind_receiver for receipts: two connections. */
        TRANSMITTER_RECEIVER("transmitter+receiver");

        private final String configName;

        Bind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    @Override
    public String toString() {
        // Never print the password.
        return "ConnectConfig[" + host + ":" + port + (tls == null ? "" : " tls") + ", systemId=" + systemId
                + ", bind=" + bind.configName() + ", sessions=" + sessions + "]";
    }
}
