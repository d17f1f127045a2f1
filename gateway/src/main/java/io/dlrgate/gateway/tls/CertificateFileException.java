package io.dlrgate.gateway.tls;

/**
 * A listener's certificate or key file cannot be used: not PEM, no certificate in it, an encrypted or unknown key,
 * or a key that does not belong to the certificate. The message names the config key and the file.
 */
public final class CertificateFileException extends RuntimeException {

    CertificateFileException(String message) {
        super(message);
    }

    CertificateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
