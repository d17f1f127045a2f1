package io.dlrgate.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PEM file of trusted certificates (an outbound bind's {@code connect.tls.trust}), read again on demand: an SMSC
 * that moves to a new CA is followed by replacing the file, without a restart. Connections already open keep the
 * trust they were made with.
 *
 * <p>As {@link ReloadingCertificate}: unchanged files do nothing; a changed file that cannot be used (no
 * certificate, one that does not parse) keeps the trust in use and is logged once per distinct content; the new
 * trust is recorded only once its user has applied it. Thread-safe.
 */
public final class ReloadingTrust implements Reloadable {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTrust.class);

    private final String configKey;
    private final Path file;
    private final Consumer<List<X509Certificate>> user;
    // Guarded by this.
    private byte[] current;
    private byte[] refused;

    private ReloadingTrust(String configKey, Path file, byte[] first, Consumer<List<X509Certificate>> user) {
        this.configKey = configKey;
        this.file = file;
        this.current = first;
        this.user = user;
    }

    /**
     * Reads the file for the first time and hands its certificates to {@code user}, then again at each usable
     * change; throws {@link CertificateFileException} when it cannot be used at start.
     *
     * @param configKey the file's config key ({@code carriers[acme].connect.tls.trust})
     * @param user      applies the certificates; throws when it cannot (the old trust then stays)
     */
    public static ReloadingTrust load(String configKey, Path file, Consumer<List<X509Certificate>> user) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CertificateFileException(configKey + ": cannot read " + e.getMessage(), e);
        }
        user.accept(ServerCertificate.certificates(configKey, file, bytes));
        return new ReloadingTrust(configKey, file, bytes, user);
    }

    @Override
    public String configKey() {
        return configKey;
    }

    @Override
    public synchronized void reloadFiles(boolean asked) {
        byte[] read;
        try {
            read = Files.readAllBytes(file);
        } catch (IOException e) {
            keepOld(null, "cannot read " + e.getMessage(), asked);
            return;
        }
        if (Arrays.equals(read, current)) {
            refused = null;
            if (asked) {
                log.info("{}: {} unchanged", configKey, file);
            }
            return;
        }
        if (Arrays.equals(read, refused) && !asked) {
            return;
        }
        List<X509Certificate> certificates;
        try {
            certificates = ServerCertificate.certificates(configKey, file, read);
            user.accept(certificates);
        } catch (RuntimeException e) {
            keepOld(read, e.getMessage(), asked);
            return;
        }
        current = read;
        refused = null;
        log.info("{}: reloaded {}: new connections trust {} certificate(s)", configKey, file, certificates.size());
    }

    private void keepOld(byte[] read, String why, boolean asked) {
        boolean again = read != null && Arrays.equals(read, refused);
        refused = read;
        if (asked || !again) {
            log.warn("{}: new trust file not used, keeping the trust in use: {}", configKey, why);
        }
    }
}
