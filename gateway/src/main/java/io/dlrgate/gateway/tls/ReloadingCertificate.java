package io.dlrgate.gateway.tls;

import io.dlrgate.config.TlsFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's certificate, read again on demand: new connections get whatever is current, connections already
 * open keep the certificate they were made with (TLS never changes it under them).
 *
 * <p>A reload that finds the files unchanged does nothing. One that finds them changed but unusable (half
 * written, a key that does not match, not PEM, or a TLS context that cannot be built from them) keeps the
 * certificate in use and logs why, once per distinct content: the poller calls this every few seconds and must
 * not repeat the same line each time. {@link #current()} changes only once every listener has applied the new
 * certificate: were it recorded first, a listener's failure would leave the old certificate served while later
 * polls found the files "unchanged", and the failure would never be retried nor logged again. Thread-safe.
 */
public final class ReloadingCertificate implements Reloadable {

    private static final Logger log = LoggerFactory.getLogger(ReloadingCertificate.class);

    /** What a reload did. */
    public enum Outcome { UNCHANGED, RELOADED, KEPT_OLD }

    private final String configKey;
    private final TlsFiles files;
    private final List<Consumer<ServerCertificate>> listeners = new CopyOnWriteArrayList<>();
    private volatile ServerCertificate current;
    /** The last content refused, so that it is logged once and not at every poll. Guarded by this. */
    private ServerCertificate.Snapshot refused;

    private ReloadingCertificate(String configKey, TlsFiles files, ServerCertificate first) {
        this.configKey = configKey;
        this.files = files;
        this.current = first;
    }

    /**
     * Reads the files for the first time; throws {@link CertificateFileException} when they cannot be used (at
     * start there is no old certificate to fall back on).
     *
     * @param configKey the config section the files come from ({@code smpp.tls}), for log lines and errors
     */
    public static ReloadingCertificate load(String configKey, TlsFiles files) {
        ServerCertificate first = ServerCertificate.read(configKey, files);
        ReloadingCertificate c = new ReloadingCertificate(configKey, files, first);
        c.logInUse("using");
        return c;
    }

    /** The certificate new connections get. */
    public ServerCertificate current() {
        return current;
    }

    @Override
    public String configKey() {
        return configKey;
    }

    @Override
    public void reloadFiles(boolean asked) {
        reload(asked);
    }

    /**
     * Called with each certificate that is to replace the current one (on the thread that reloaded), before it
     * does. A listener that cannot apply it throws, with the old certificate still in place on its side: the
     * reload then keeps the old certificate. (Each listener's certificate has one listener, its own server's.)
     */
    public void onChange(Consumer<ServerCertificate> listener) {
        listeners.add(listener);
    }

    /**
     * Reads the files again and switches to them when they changed and are usable.
     *
     * @param asked true when an operator asked (SIGHUP): an unchanged file is then said so, and a refused one
     *              is logged again
     */
    public synchronized Outcome reload(boolean asked) {
        ServerCertificate.FileBytes bytes;
        try {
            bytes = ServerCertificate.FileBytes.read(files);
        } catch (IOException e) {
            return keepOld(null, "cannot read " + e.getMessage(), asked);
        }
        ServerCertificate.Snapshot read = bytes.snapshot();
        if (read.sameAs(current.files())) {
            bytes.wipeKey();
            refused = null;
            if (asked) {
                log.info("{}: certificate files unchanged; still {}", configKey, current.describe());
            }
            return Outcome.UNCHANGED;
        }
        if (read.sameAs(refused) && !asked) {
            bytes.wipeKey();
            return Outcome.KEPT_OLD;
        }
        ServerCertificate next;
        try {
            next = ServerCertificate.parse(configKey, files, bytes);
        } catch (CertificateFileException e) {
            return keepOld(read, e.getMessage(), asked);
        }
        for (Consumer<ServerCertificate> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                return keepOld(read, "cannot set up TLS with them: " + e.getMessage(), asked);
            }
        }
        current = next;
        refused = null;
        logInUse("reloaded: new connections get");
        return Outcome.RELOADED;
    }

    private Outcome keepOld(ServerCertificate.Snapshot read, String why, boolean asked) {
        boolean again = read != null && read.sameAs(refused);
        refused = read;
        if (asked || !again) {
            log.warn("{}: new certificate files not used, keeping {}: {}", configKey, current.describe(), why);
        }
        return Outcome.KEPT_OLD;
    }

    private void logInUse(String what) {
        ServerCertificate c = current;
        // The real time, not the gateway's injected clock: peers check the certificate against theirs.
        if (c.outsideValidity(Instant.now())) {
            log.warn("{}: {} a certificate outside its validity period ({}): clients that verify it will refuse "
                    + "the connection", configKey, what, c.describe());
        } else {
            log.info("{}: {} {}", configKey, what, c.describe());
        }
    }
}
