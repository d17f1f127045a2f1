package io.dlrgate.config;

import java.nio.file.Path;

/**
 * A listener's certificate and private key, both PEM files. The files are checked to exist and be readable when
 * the config is read; their contents are checked when the listener starts, and again at each reload.
 *
 * @param cert the certificate chain: the listener's own certificate first, then any intermediates
 * @param key  its private key, unencrypted (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY})
 */
public record TlsFiles(Path cert, Path key) {
}
