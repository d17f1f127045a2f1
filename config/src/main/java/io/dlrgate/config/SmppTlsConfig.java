package io.dlrgate.config;

/**
 * The SMPP server's TLS listener, beside the plain one: same host, limits, carriers and sessions.
 *
 * @param port       TCP port (0 picks a free one, used by tests)
 * @param files      its certificate and key
 * @param clientAuth whether carriers must present a certificate (mutual TLS)
 * @param clientCa   the PEM file of the CA(s) a carrier's certificate must come from; null with {@code NONE}
 */
public record SmppTlsConfig(int port, TlsFiles files, ClientAuth clientAuth, java.nio.file.Path clientCa) {

    /** Client certificates on the TLS listener. */
    public enum ClientAuth {
        /** None asked for (the default): a carrier proves who it is by its bind. */
        NONE("none"),
        /** Asked for; a carrier may send none, but one it sends must come from {@code client_ca}. */
        OPTIONAL("optional"),
        /** Required, from {@code client_ca}: the handshake fails without one. */
        REQUIRED("required");

        private final String configName;

        ClientAuth(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /** Without client certificates. */
    public SmppTlsConfig(int port, TlsFiles files) {
        this(port, files, ClientAuth.NONE, null);
    }

    /** The port carriers commonly expect SMPP over TLS on. */
    public static final int DEFAULT_PORT = 3550;
}
