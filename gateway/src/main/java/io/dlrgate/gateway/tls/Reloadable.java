package io.dlrgate.gateway.tls;

/** Files read again when they change or on SIGHUP ({@link CertificateReloader}): certificates, trusted CAs. */
public interface Reloadable {

    /** The config key the files come from, for log lines. */
    String configKey();

    /**
     * Reads the files again and switches to them when they changed and are usable; keeps what is in use otherwise.
     *
     * @param asked true when an operator asked (SIGHUP)
     */
    void reloadFiles(boolean asked);
}
